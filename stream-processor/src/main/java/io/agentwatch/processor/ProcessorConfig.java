package io.agentwatch.processor;

import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processor's configuration, parsed and checked once at start-up from {@link Settings}: every problem stops
 * start-up with a message naming the setting. Immutable; {@link #toString()} never shows a secret.
 */
public record ProcessorConfig(
        String applicationId,
        String bootstrapServers,
        RegistryConfig registry,
        String eventsTopic,
        String alertsTopic,
        String eventsDeadLetterTopic,
        String rulesTopic,
        String controlTopic,
        RuleSet rules,
        Path stateDir,
        String guarantee,
        int threads,
        Duration commitInterval,
        int standbyReplicas,
        int replicationFactor,
        Duration evaluationInterval,
        Duration grace,
        int[] extraWindows,
        int liveScopes,
        int liveSessions,
        int liveTraces,
        boolean controlEnabled,
        int baselineWarmup,
        Duration baselineHalfLife,
        Duration maxFutureSkew,
        int maxEventBytes,
        Duration registryMaxWait,
        long rocksDbMemory,
        String httpHost,
        int httpPort,
        Optional<String> httpToken,
        String applicationServer,
        Duration closeTimeout,
        Map<String, Object> kafka) {

    public static ProcessorConfig from(Settings s) {
        Map<String, Object> kafka = s.kafka();
        String bootstrap = s.optional(ProcessorSettings.BOOTSTRAP)
                .or(() -> Optional.ofNullable((String) kafka.get("bootstrap.servers")))
                .orElseThrow(() -> new ConfigException("missing required setting 'bootstrap.servers' (AGENTWATCH_BOOTSTRAP_SERVERS or KAFKA_BOOTSTRAP_SERVERS): the Kafka cluster to read agent.events from"));
        String registryUrl = s.optional(ProcessorSettings.REGISTRY)
                .or(() -> Optional.ofNullable((String) kafka.get("schema.registry.url")))
                .orElseThrow(() -> new ConfigException("missing required setting 'schema.registry.url' (AGENTWATCH_SCHEMA_REGISTRY_URL or KAFKA_SCHEMA_REGISTRY_URL): the Confluent-compatible schema registry"));
        Map<String, Object> registryProps = new LinkedHashMap<>(kafka);
        registryProps.put(RegistryConfig.URL, registryUrl);
        RegistryConfig registry;
        try {
            registry = RegistryConfig.fromProperties(registryProps);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("schema registry settings: " + e.getMessage(), e);
        }
        String guarantee = s.string(ProcessorSettings.GUARANTEE).toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("exactly_once_v2", "at_least_once").contains(guarantee)) {
            throw s.invalid(ProcessorSettings.GUARANTEE, "must be exactly_once_v2 or at_least_once");
        }
        RuleSet rules = s.optionalPath(ProcessorSettings.RULES_FILE).map(RulesFile::load).orElseGet(RulesFile::defaults);
        int[] extraWindows = s.list(ProcessorSettings.WINDOWS).stream().mapToInt(w -> {
            Duration d = io.agentwatch.service.Durations.parse(w);
            if (d.toMillis() % 60_000 != 0 || d.toMinutes() < 1 || d.toMinutes() > 60) {
                throw s.invalid(ProcessorSettings.WINDOWS, "holds '" + w + "': windows are whole minutes between 1m and 60m");
            }
            return (int) d.toMinutes();
        }).toArray();
        Duration grace = s.duration(ProcessorSettings.GRACE);
        if (grace.isNegative() || grace.toMillis() > 60_000) {
            throw s.invalid(ProcessorSettings.GRACE, "must be between 0 and 1m (the pane length)");
        }
        Duration evaluation = s.duration(ProcessorSettings.EVALUATION_INTERVAL);
        if (evaluation.toMillis() < 100 || evaluation.toMillis() > 60_000) {
            throw s.invalid(ProcessorSettings.EVALUATION_INTERVAL, "must be between 100ms and 1m");
        }
        long maxEventBytes = s.bytes(ProcessorSettings.MAX_EVENT_BYTES);
        if (maxEventBytes < 1024 || maxEventBytes > 64L * 1024 * 1024) {
            throw s.invalid(ProcessorSettings.MAX_EVENT_BYTES, "must be between 1KB and 64MB");
        }
        return new ProcessorConfig(
                s.string(ProcessorSettings.APPLICATION_ID),
                bootstrap,
                registry,
                s.string(ProcessorSettings.EVENTS_TOPIC),
                s.string(ProcessorSettings.ALERTS_TOPIC),
                s.string(ProcessorSettings.EVENTS_DLQ_TOPIC),
                s.string(ProcessorSettings.RULES_TOPIC),
                s.string(ProcessorSettings.CONTROL_TOPIC),
                rules,
                s.path(ProcessorSettings.STATE_DIR),
                guarantee,
                s.integer(ProcessorSettings.THREADS, 1, 64),
                s.duration(ProcessorSettings.COMMIT_INTERVAL),
                s.integer(ProcessorSettings.STANDBY_REPLICAS, 0, 5),
                s.integer(ProcessorSettings.REPLICATION_FACTOR, -1, 10),
                evaluation,
                grace,
                extraWindows,
                s.integer(ProcessorSettings.LIVE_SCOPES, 100, 10_000_000),
                s.integer(ProcessorSettings.LIVE_SESSIONS, 100, 10_000_000),
                s.integer(ProcessorSettings.LIVE_TRACES, 100, 10_000_000),
                s.bool(ProcessorSettings.CONTROL_ENABLED),
                s.integer(ProcessorSettings.BASELINE_WARMUP, 1, 10_000),
                s.duration(ProcessorSettings.BASELINE_HALF_LIFE),
                s.duration(ProcessorSettings.MAX_FUTURE_SKEW),
                (int) maxEventBytes,
                s.duration(ProcessorSettings.REGISTRY_MAX_WAIT),
                s.bytes(ProcessorSettings.ROCKSDB_MEMORY),
                s.string(ProcessorSettings.HTTP_HOST),
                s.integer(ProcessorSettings.HTTP_PORT, 0, 65535),
                s.optional(ProcessorSettings.HTTP_TOKEN),
                s.optional(ProcessorSettings.APPLICATION_SERVER).orElse(""),
                s.duration(ProcessorSettings.CLOSE_TIMEOUT),
                kafka);
    }

    @Override
    public String toString() {
        return "ProcessorConfig[applicationId=" + applicationId + ", bootstrapServers=" + bootstrapServers + ", registry=" + registry
                + ", topics=" + eventsTopic + "/" + alertsTopic + "/" + eventsDeadLetterTopic + "/" + rulesTopic + "/" + controlTopic
                + ", rules=" + rules.source() + " (" + rules.all().size() + " rules), stateDir=" + stateDir + ", guarantee=" + guarantee
                + ", threads=" + threads + ", commitInterval=" + commitInterval + ", control=" + controlEnabled + ", http=" + httpHost + ":" + httpPort
                + ", httpToken=" + (httpToken.isPresent() ? "[hidden]" : "none") + "]";
    }
}
