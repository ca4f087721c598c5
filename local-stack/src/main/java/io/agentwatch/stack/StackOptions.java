package io.agentwatch.stack;

import io.agentwatch.embedded.BrokerSettings;
import io.agentwatch.embedded.RegistrySettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every command that runs the local stack shares (a picocli mixin). The default data directory is
 * {@code .agentwatch/data} under the repository root, which the {@code ./agentwatch} script passes as the system
 * property {@code agentwatch.home}; without it, under the current directory.
 */
public final class StackOptions {
    public static final String KAFKA_PORT_OPTION = "--kafka-port";
    public static final String REGISTRY_PORT_OPTION = "--registry-port";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:agentwatch.home:-.}/.agentwatch/data",
            description = "Where the broker, the registry and the logs keep their data; kept across runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = KAFKA_PORT_OPTION, paramLabel = "PORT", defaultValue = "" + BrokerSettings.DEFAULT_PORT,
            description = "Kafka client port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int kafkaPort;

    @Option(names = REGISTRY_PORT_OPTION, paramLabel = "PORT", defaultValue = "" + RegistrySettings.DEFAULT_PORT,
            description = "Schema registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int registryPort;

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int registryPort() {
        return registryPort;
    }

    /** The option that sets a port, for error messages. */
    public String optionFor(int port) {
        if (port == kafkaPort) {
            return KAFKA_PORT_OPTION;
        }
        return port == registryPort ? REGISTRY_PORT_OPTION : null;
    }
}
