package io.agentwatch.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the embedded broker.
 *
 * @param port         client port on 127.0.0.1 (0 picks a free one)
 * @param dataDir      directory that holds the broker's log dirs (under {@code kafka/}); kept across restarts
 * @param startTimeout how long to wait for the broker to accept clients
 * @param overrides    extra broker properties, applied last
 */
public record BrokerSettings(int port, Path dataDir, Duration startTimeout, Map<String, String> overrides) {
    public static final int DEFAULT_PORT = 9092;

    public BrokerSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Kafka port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        overrides = Map.copyOf(overrides);
    }

    /** A broker on the given port with its data under the given directory and a 60 s start timeout. */
    public static BrokerSettings of(int port, Path dataDir) {
        return new BrokerSettings(port, dataDir, Duration.ofSeconds(60), Map.of());
    }
}
