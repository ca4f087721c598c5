package io.agentwatch.reliability.support;

import io.agentwatch.processor.ProcessorMain;
import io.agentwatch.stack.process.JavaProcess;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One processor instance ({@link ProcessorMain} in its own JVM) on one state directory, which can be started,
 * SIGKILLed and started again any number of times: each start appends to the same log file, and everything read
 * from the log (HTTP address, Streams state, restorations) is read from the current start's part only.
 */
public final class ProcessorInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessorInstance.class);
    private static final Pattern HTTP = Pattern.compile("HTTP server listening on (http://[0-9.:]+)");
    private static final Pattern RESTORED = Pattern.compile("restored (\\S+) from \\S+: (\\d+) records in (-?\\d+) ms");
    private static final Duration POLL = Duration.ofMillis(20);

    private final String name;
    private final Map<String, String> env;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private JavaProcess process;
    private long logOffset;
    private long startedNanos;
    private String httpUrl;
    private int starts;

    ProcessorInstance(String name, Map<String, String> env, Path logFile, List<String> jvmOptions) {
        this.name = name;
        this.env = new LinkedHashMap<>(env);
        this.logFile = logFile;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public int starts() {
        return starts;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM (again) on the same state directory. */
    public synchronized ProcessorInstance start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        httpUrl = null;
        startedNanos = System.nanoTime();
        process = JavaProcess.start(ProcessorMain.class.getName(), jvmOptions, List.of(), env, logFile);
        starts++;
        log.info("{}: started (start #{}, pid {}, log {})", name, starts, process.pid(), logFile);
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no commit. */
    public synchronized void kill() throws InterruptedException {
        requireStarted();
        log.info("{}: kill -9 {}", name, process.pid());
        process.kill();
    }

    /** SIGTERM and wait: a clean shutdown (leaves the group, writes checkpoints). */
    public synchronized void stop() throws InterruptedException {
        requireStarted();
        log.info("{}: SIGTERM {}", name, process.pid());
        if (!process.stop(Duration.ofSeconds(60))) {
            throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM; see " + logFile);
        }
    }

    /** This start's log so far. */
    public String logSinceStart() {
        try {
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(logOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether this start has reached RUNNING at least once. */
    public boolean hasBeenRunning() {
        return logSinceStart().contains("-> RUNNING");
    }

    /** Whether the Kafka Streams client's last state change of this start was to RUNNING. */
    public boolean isRunning() {
        String text = logSinceStart();
        int running = text.lastIndexOf("-> RUNNING");
        int rebalancing = text.lastIndexOf("-> REBALANCING");
        return isAlive() && running >= 0 && running > rebalancing;
    }

    /** Waits until this start has reached RUNNING; fails early if the JVM exits. */
    public Duration awaitRunning(Duration timeout) throws InterruptedException {
        awaitLog("-> RUNNING", timeout);
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Waits until the text shows in this start's log; fails early (with the log's end) if the JVM exits. */
    public void awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logSinceStart().contains(text)) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited (code " + process.exitCode() + ") before its log showed '" + text + "'; end of "
                        + logFile + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": '" + text + "' not in its log within " + timeout + "; end of " + logFile + ":\n" + tail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The HTTP base URL of this start (metrics, health), once the server listens. */
    public String httpUrl(Duration timeout) throws InterruptedException {
        if (httpUrl == null) {
            awaitLog("HTTP server listening on", timeout);
            Matcher m = HTTP.matcher(logSinceStart());
            if (!m.find()) {
                throw new IllegalStateException(name + ": no HTTP address in its log");
            }
            httpUrl = m.group(1);
        }
        return httpUrl;
    }

    /** The sum of a Prometheus metric's samples (all label sets), or empty if the scrape fails. */
    public OptionalLong metric(String name) {
        try {
            String base = httpUrl(Duration.ofSeconds(60));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            boolean found = false;
            for (String line : response.body().split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? OptionalLong.of(Math.round(sum)) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** Restorations this start has finished: records and milliseconds, summed over stores and partitions. */
    public Restored restored() {
        return Restored.parse(logSinceStart());
    }

    /** What the log's restoration lines add up to. */
    public record Restored(int restorations, long records, long millis) {
        public static Restored parse(String text) {
            Matcher m = RESTORED.matcher(text);
            int n = 0;
            long records = 0;
            long ms = 0;
            while (m.find()) {
                n++;
                records += Long.parseLong(m.group(2));
                ms += Math.max(0, Long.parseLong(m.group(3)));
            }
            return new Restored(n, records, ms);
        }

        public Restored minus(Restored earlier) {
            return new Restored(restorations - earlier.restorations, records - earlier.records, millis - earlier.millis);
        }
    }

    /** The last lines of the log, for failure messages. */
    public String tail() {
        String text = logSinceStart();
        String[] lines = text.split("\n");
        List<String> last = new ArrayList<>();
        for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
            last.add(lines[i]);
        }
        return String.join("\n", last);
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
