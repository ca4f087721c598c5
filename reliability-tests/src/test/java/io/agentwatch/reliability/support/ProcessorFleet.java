package io.agentwatch.reliability.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor instances of one application id (one run of a scenario): each instance a JVM of its own with its
 * own state directory under the run's work directory, all configured alike through {@code AGENTWATCH_*} and
 * {@code KAFKA_*} environment variables, as a container would be. Closing the fleet stops every JVM still alive.
 */
public final class ProcessorFleet implements AutoCloseable {
    /**
     * One run's settings.
     *
     * @param extraEnv more environment, applied last (e.g. {@code AGENTWATCH_REGISTRY_MAX_WAIT})
     */
    public record Settings(String bootstrapServers, String registryUrl, ProcessorTopics topics, String alertsTopic, String applicationId,
                           Path workDir, Path rulesFile, int threads, int standbyReplicas, Map<String, String> extraEnv) {
        public Settings withStandbys(int n) {
            return new Settings(bootstrapServers, registryUrl, topics, alertsTopic, applicationId, workDir, rulesFile, threads, n, extraEnv);
        }
    }

    private final Settings settings;
    private final List<ProcessorInstance> instances = new ArrayList<>();

    public ProcessorFleet(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** A new instance (not started) with its own state directory and log under the run's work directory. */
    public ProcessorInstance instance(String name) {
        Path dir = settings.workDir().resolve(settings.applicationId()).resolve(name);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTWATCH_BOOTSTRAP_SERVERS", settings.bootstrapServers());
        env.put("AGENTWATCH_SCHEMA_REGISTRY_URL", settings.registryUrl());
        env.put("AGENTWATCH_APPLICATION_ID", settings.applicationId());
        env.put("AGENTWATCH_EVENTS_TOPIC", settings.topics().events());
        env.put("AGENTWATCH_ALERTS_TOPIC", settings.alertsTopic());
        env.put("AGENTWATCH_EVENTS_DLQ_TOPIC", settings.topics().dlq());
        env.put("AGENTWATCH_RULES_TOPIC", settings.topics().rules());
        env.put("AGENTWATCH_CONTROL_TOPIC", settings.topics().control());
        env.put("AGENTWATCH_RULES_FILE", settings.rulesFile().toString());
        env.put("AGENTWATCH_STATE_DIR", dir.resolve("state").toString());
        env.put("AGENTWATCH_STREAM_THREADS", Integer.toString(settings.threads()));
        env.put("AGENTWATCH_STANDBY_REPLICAS", Integer.toString(settings.standbyReplicas()));
        env.put("AGENTWATCH_REPLICATION_FACTOR", Short.toString(settings.topics().replication()));
        env.put("AGENTWATCH_PROCESSING_GUARANTEE", "exactly_once_v2");
        env.put("AGENTWATCH_HTTP_PORT", "0");
        env.put("AGENTWATCH_ROCKSDB_MEMORY", "64MB");
        env.put("AGENTWATCH_CLOSE_TIMEOUT", "20s");
        // a SIGKILLed member is noticed after the session timeout: 6 s (the broker's minimum) instead of 45 s keeps
        // the runs short
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
        env.putAll(settings.extraEnv());
        ProcessorInstance instance = new ProcessorInstance(settings.applicationId() + "/" + name, env, dir.resolve("processor.log"),
                List.of("-Xmx384m", "-XX:+UseSerialGC"));
        instances.add(instance);
        return instance;
    }

    public List<ProcessorInstance> instances() {
        return List.copyOf(instances);
    }

    @Override
    public void close() throws InterruptedException {
        for (ProcessorInstance i : instances) {
            i.close();
        }
    }
}
