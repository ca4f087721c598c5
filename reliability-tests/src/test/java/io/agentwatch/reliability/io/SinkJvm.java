package io.agentwatch.reliability.io;

import io.agentwatch.sink.AlertSinkMain;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the alert sink ({@link AlertSinkMain}) as its own JVM, configured by environment variables only. A short
 * Kafka session timeout lets a restarted sink take over the partitions of a killed one within seconds instead of
 * the default 45.
 */
final class SinkJvm {
    private SinkJvm() {
    }

    static Map<String, String> env(String bootstrap, String registryUrl, ScenarioTopics topics, String group, Path routesFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTWATCH_BOOTSTRAP_SERVERS", bootstrap);
        env.put("AGENTWATCH_SCHEMA_REGISTRY_URL", registryUrl);
        env.put("AGENTWATCH_ALERTS_TOPIC", topics.alerts());
        env.put("AGENTWATCH_ALERTS_DLQ_TOPIC", topics.alertsDlq());
        env.put("AGENTWATCH_CONSUMER_GROUP", group);
        env.put("AGENTWATCH_ROUTES_FILE", routesFile.toString());
        env.put("AGENTWATCH_HTTP_PORT", "0");
        env.put("AGENTWATCH_INHIBIT_HOLD", "2s");
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    static ServiceJvm start(String name, Map<String, String> env, Path log) {
        return ServiceJvm.start(name, AlertSinkMain.class.getName(), "256m", env, log);
    }
}
