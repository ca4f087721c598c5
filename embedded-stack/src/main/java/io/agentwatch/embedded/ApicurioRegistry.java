package io.agentwatch.embedded;

import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry with the Confluent REST API: Apicurio Registry 3.0.9 run as a child process on
 * 127.0.0.1. Its output goes to {@code <workDir>/registry.log}. Schemas are kept in an H2 file under the work
 * directory (or in memory, for tests). BACKWARD compatibility is both enforced as Apicurio's global rule and set
 * as the Confluent-API global config (Apicurio does not show the first through {@code /config}).
 *
 * <p>The child never outlives this JVM by accident: {@link #close()} stops it and its descendants (polite signal,
 * then force), a shutdown hook does the same on SIGTERM or Ctrl-C, and a start finds and stops an orphan that a
 * killed ({@code kill -9}) parent left behind in the same work directory. The parent holds a lock on the work
 * directory while its registry runs, so a second start on it fails clearly instead of taking it over.
 */
public final class ApicurioRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final String SERVICE = "schema registry";
    private static final String WORKDIR_MARKER = "-Dagentwatch.registry.workdir=";
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final DirectoryLock lock;
    private final int port;
    private final Path logFile;
    private final Path pidFile;
    private final Thread shutdownHook;
    private boolean closed;

    private ApicurioRegistry(Process process, DirectoryLock lock, int port, Path logFile, Path pidFile) {
        this.process = process;
        this.lock = lock;
        this.port = port;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.shutdownHook = new Thread(this::stopProcess, "apicurio-registry-shutdown");
    }

    /**
     * Starts the registry and waits until its Confluent API answers.
     *
     * @throws PortInUseException if the port is taken
     * @throws IllegalStateException if another registry of a live process uses the work directory, or the
     *                               registry fails to start (the message ends with the tail of its log)
     */
    public static ApicurioRegistry start(RegistrySettings settings) {
        Path workDir = settings.workDir().toAbsolutePath();
        DirectoryLock lock = DirectoryLock.acquire(workDir, "registry.lock", SERVICE);
        try {
            return start(settings, workDir, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static ApicurioRegistry start(RegistrySettings settings, Path workDir, DirectoryLock lock) {
        Path pidFile = workDir.resolve("registry.pid");
        // we hold the lock, so a registry still running on this directory lost its parent: an orphan
        stopOrphan(pidFile, workDir);
        int port = Ports.requireFree(settings.port(), SERVICE);
        Path jar = settings.distribution().runnerJar();
        Path logFile = workDir.resolve("registry.log");

        List<String> command = command(settings, workDir, port, jar);
        log.info("starting Apicurio Registry {} on {}:{} ({} storage, log {})", ApicurioDistribution.VERSION, Ports.HOST, port,
                settings.persistent() ? "H2 file under " + workDir.resolve("db") : "in-memory", logFile);
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry process (" + command.get(0) + "): " + e.getMessage(), e);
        }
        ApicurioRegistry registry = new ApicurioRegistry(process, lock, port, logFile, pidFile);
        Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
        try {
            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.US_ASCII);
            registry.awaitReady(settings.startTimeout());
            try (SchemaRegistryClient client = registry.client()) {
                client.setGlobalCompatibility("BACKWARD");
            }
        } catch (IOException | RuntimeException e) {
            registry.stopProcess();
            registry.removeShutdownHook();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("cannot write " + pidFile, (IOException) e);
        }
        log.info("schema registry ready at {} (pid {}) in {} ms", registry.confluentUrl(), process.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return registry;
    }

    private static List<String> command(RegistrySettings settings, Path workDir, int port, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.jvmOptions());
        command.add(WORKDIR_MARKER + workDir);
        command.add("-Dquarkus.http.host=" + Ports.HOST);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.log.console.color=false");
        command.add("-Dquarkus.banner.enabled=false");
        command.add("-Dapicurio.rules.global.compatibility=BACKWARD");
        if (settings.persistent()) {
            Map<String, String> sql = Map.of(
                    "apicurio.storage.kind", "sql",
                    "apicurio.storage.sql.kind", "h2",
                    "apicurio.datasource.url", "jdbc:h2:file:" + workDir.resolve("db").resolve("registry"),
                    // a local file database with H2's stock account; not a secret
                    "apicurio.datasource.username", "sa",
                    "apicurio.datasource.password", "sa");
            sql.forEach((k, v) -> command.add("-D" + k + "=" + v));
        }
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Stops a registry that a killed parent left running on this work directory (its H2 file would be locked). */
    private static void stopOrphan(Path pidFile, Path workDir) {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().isAlive()
                    && handle.get().info().commandLine().map(c -> c.contains(WORKDIR_MARKER + workDir)).orElse(false)) {
                log.warn("stopping an orphaned schema registry (pid {}) that a killed agentwatch left on {}", pid, workDir);
                ProcessTree.destroy(handle.get(), STOP_GRACE);
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.debug("ignoring unreadable pid file {}: {}", pidFile, e.toString());
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = LogTail.of(logFile, LOG_TAIL_LINES);
                if (tail.contains("Address already in use") || tail.contains("Port already bound")) {
                    throw new PortInUseException(port, SERVICE, null);
                }
                throw new IllegalStateException("the schema registry process exited with code " + process.exitValue()
                        + " before it was ready; the end of " + logFile + ":\n" + tail);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            waitForExit(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the schema registry did not answer on " + confluentUrl() + " within " + timeout
                + "; the end of " + logFile + ":\n" + LogTail.of(logFile, LOG_TAIL_LINES));
    }

    /** Waits up to the given time, returning early if the process ends. */
    private void waitForExit(Duration max) {
        try {
            process.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running: the normal case
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        }
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** The Confluent-compatible API's base URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String confluentUrl() {
        return url() + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** A new client for the Confluent API; the caller closes it. */
    public SchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(RegistryConfig.of(confluentUrl()));
    }

    /** Stops the process and its descendants and waits for them. Idempotent. */
    @Override
    public void close() {
        stopProcess();
        removeShutdownHook();
        lock.close();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private synchronized void stopProcess() {
        if (closed) {
            return;
        }
        closed = true;
        if (process.isAlive()) {
            log.info("stopping schema registry (pid {})", process.pid());
            if (ProcessTree.destroy(process.toHandle(), STOP_GRACE)) {
                log.info("schema registry stopped");
            } else {
                log.warn("schema registry (pid {}) did not stop; it may need 'kill -9 {}'", process.pid(), process.pid());
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", pidFile, e.toString());
        }
    }
}
