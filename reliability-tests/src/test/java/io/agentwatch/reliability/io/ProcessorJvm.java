package io.agentwatch.reliability.io;

import io.agentwatch.processor.ProcessorMain;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the stream processor ({@link ProcessorMain}) as its own JVM with the settings a scenario needs, the way
 * the benchmark harness does: environment variables only, HTTP on a free port, exactly-once, replication factor 1
 * (one broker), state under the scenario's directory.
 */
final class ProcessorJvm {
    private ProcessorJvm() {
    }

    /** The settings every scenario shares; callers add or override entries. */
    static Map<String, String> env(String bootstrap, String registryUrl, ScenarioTopics topics, String applicationId, Path stateDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTWATCH_BOOTSTRAP_SERVERS", bootstrap);
        env.put("AGENTWATCH_SCHEMA_REGISTRY_URL", registryUrl);
        env.put("AGENTWATCH_APPLICATION_ID", applicationId);
        env.put("AGENTWATCH_EVENTS_TOPIC", topics.events());
        env.put("AGENTWATCH_ALERTS_TOPIC", topics.alerts());
        env.put("AGENTWATCH_EVENTS_DLQ_TOPIC", topics.eventsDlq());
        env.put("AGENTWATCH_RULES_TOPIC", topics.rules());
        env.put("AGENTWATCH_STATE_DIR", stateDir.toString());
        env.put("AGENTWATCH_STREAM_THREADS", "2");
        env.put("AGENTWATCH_HTTP_PORT", "0");
        env.put("AGENTWATCH_REPLICATION_FACTOR", "1");
        env.put("AGENTWATCH_PROCESSING_GUARANTEE", "exactly_once_v2");
        env.put("AGENTWATCH_ROCKSDB_MEMORY", "64MB");
        return env;
    }

    static ServiceJvm start(String name, Map<String, String> env, String heap, Path log) {
        return ServiceJvm.start(name, ProcessorMain.class.getName(), heap, env, log);
    }

    static ServiceJvm start(String name, Map<String, String> env, String heap, java.util.List<String> moreJvmOptions, Path log) {
        return ServiceJvm.start(name, ProcessorMain.class.getName(), heap, moreJvmOptions, env, log);
    }
}
