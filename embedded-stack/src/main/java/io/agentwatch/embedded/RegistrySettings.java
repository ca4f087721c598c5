package io.agentwatch.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run the Apicurio Registry child process.
 *
 * @param port         HTTP port on 127.0.0.1 (0 picks a free one)
 * @param workDir      the process's directory: its log ({@code registry.log}), its pid file and, when persistent,
 *                     its H2 database ({@code db/})
 * @param persistent   keep schemas in an H2 file under {@code workDir} (survives restarts) instead of in memory
 * @param startTimeout how long to wait for the registry to answer
 * @param jvmOptions   options for the child JVM (heap, GC), before {@code -jar}
 * @param distribution where the server distribution comes from
 */
public record RegistrySettings(int port, Path workDir, boolean persistent, Duration startTimeout, List<String> jvmOptions,
                               ApicurioDistribution distribution) {
    public static final int DEFAULT_PORT = 8081;
    /** A small heap is enough for a local registry; it starts faster and leaves room on a 2-core, shared machine. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    public RegistrySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("schema registry port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(distribution, "distribution");
    }

    /** A registry that keeps its schemas under {@code workDir}, with the default distribution and JVM options. */
    public static RegistrySettings persistent(int port, Path workDir) {
        return new RegistrySettings(port, workDir, true, Duration.ofSeconds(120), DEFAULT_JVM_OPTIONS, ApicurioDistribution.fromEnvironment());
    }

    /** A registry that keeps its schemas in memory (tests), logging under {@code workDir}. */
    public static RegistrySettings inMemory(int port, Path workDir) {
        return new RegistrySettings(port, workDir, false, Duration.ofSeconds(120), DEFAULT_JVM_OPTIONS, ApicurioDistribution.fromEnvironment());
    }
}
