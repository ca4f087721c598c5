package io.agentwatch.processor.cli;

import io.agentwatch.processor.ProcessorMain;
import io.agentwatch.processor.ProcessorSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentwatch processor}: runs the stream processor against any cluster. Options override the settings file
 * and the environment (see the stream-processor README for every setting).
 */
@Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Run the stream processor (Kafka Streams) against a Kafka cluster and a schema registry.")
public final class ProcessorCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "settings file (Java properties; also AGENTWATCH_CONFIG_FILE)")
    Path config;

    @Option(names = {"--bootstrap", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, e.g. localhost:9092 for the local stack (or bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrap;

    @Option(names = {"--registry", "--schema-registry-url"}, paramLabel = "URL",
            description = "Confluent-compatible schema registry URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7 for the local stack")
    String registry;

    @Option(names = "--rules", paramLabel = "FILE", description = "rules file (YAML); default: the built-in rules")
    Path rules;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port for metrics, health and queries (default 8080)")
    Integer httpPort;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "RocksDB state directory")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (default agentwatch-processor)")
    String applicationId;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other setting, e.g. --set evaluation.interval=2s")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>(extra);
        if (bootstrap != null) {
            overrides.put(ProcessorSettings.BOOTSTRAP, bootstrap);
        }
        if (registry != null) {
            overrides.put(ProcessorSettings.REGISTRY, registry);
        }
        if (rules != null) {
            overrides.put(ProcessorSettings.RULES_FILE, rules.toString());
        }
        if (httpPort != null) {
            overrides.put(ProcessorSettings.HTTP_PORT, httpPort.toString());
        }
        if (stateDir != null) {
            overrides.put(ProcessorSettings.STATE_DIR, stateDir.toString());
        }
        if (applicationId != null) {
            overrides.put(ProcessorSettings.APPLICATION_ID, applicationId);
        }
        return ProcessorMain.run(config != null ? config : io.agentwatch.service.Settings.fileFromEnvironment(), overrides);
    }
}
