package io.agentwatch.reliability.io;

import io.agentwatch.stack.process.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agentwatch service (the processor or the sink) running as its own JVM through {@link JavaProcess}, configured
 * only by environment variables as a container would be: its HTTP address read from its log, readiness, a
 * Prometheus scrape, and its log text for the checks the scenarios make on it.
 */
final class ServiceJvm implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("HTTP server listening on (http://[0-9.]+:[0-9]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final JavaProcess process;
    private volatile String baseUrl;

    private ServiceJvm(String name, JavaProcess process) {
        this.name = name;
        this.process = process;
    }

    static ServiceJvm start(String name, String mainClass, String heap, Map<String, String> env, Path log) {
        return start(name, mainClass, heap, List.of(), env, log);
    }

    /** With more JVM options after the heap, G1 and exit-on-OutOfMemoryError. */
    static ServiceJvm start(String name, String mainClass, String heap, List<String> moreJvmOptions, Map<String, String> env, Path log) {
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
        jvm.addAll(moreJvmOptions);
        try {
            // JavaProcess appends; a log left by an earlier run would give this one the old HTTP address
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete the old log " + log, e);
        }
        return new ServiceJvm(name, JavaProcess.start(mainClass, jvm, List.of(), env, log));
    }

    String name() {
        return name;
    }

    JavaProcess process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return process.log();
    }

    String log() {
        try {
            return Files.readString(process.log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The base URL of its HTTP server, once it has logged it; fails if the process died first. */
    String baseUrl(Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (baseUrl == null) {
            Matcher m = LISTENING.matcher(log());
            if (m.find()) {
                baseUrl = m.group(1);
                break;
            }
            requireAlive();
            if (System.nanoTime() > end) {
                throw new AssertionError(name + " did not start its HTTP server within " + atMost + "; log " + process.log());
            }
            Thread.sleep(100);
        }
        return baseUrl;
    }

    /** Waits until {@code /ready} answers 200 (the processor: Kafka Streams RUNNING). */
    ServiceJvm awaitReady(Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        String url = baseUrl(atMost);
        while (get(url + "/ready", null).status() != 200) {
            requireAlive();
            if (System.nanoTime() > end) {
                throw new AssertionError(name + " was not ready within " + atMost + "; log " + process.log());
            }
            Thread.sleep(200);
        }
        return this;
    }

    void requireAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " (pid " + process.pid() + ") exited with code " + process.exitCode() + "; log " + process.log()
                    + ":\n" + tail(40));
        }
    }

    String tail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The {@code /metrics} text. */
    String scrape() throws InterruptedException {
        Answer a = get(baseUrl(Duration.ofSeconds(30)) + "/metrics", null);
        if (a.status() != 200) {
            throw new AssertionError(name + " /metrics answered " + a.status());
        }
        return a.body();
    }

    /** The sum of every series of a metric (all tag combinations); 0 when it has none yet. */
    double metric(String name) throws InterruptedException {
        return sum(scrape(), name);
    }

    /** The metric once it reaches {@code atLeast}, or what it is after {@code atMost}. */
    double awaitMetric(String name, double atLeast, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        double value = metric(name);
        while (value < atLeast && System.nanoTime() < end) {
            Thread.sleep(500);
            value = metric(name);
        }
        return value;
    }

    static double sum(String scrape, String metric) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** A GET with an optional bearer token. */
    Answer get(String path, String token) throws InterruptedException {
        String url = path.startsWith("http") ? path : baseUrlNow() + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    private String baseUrlNow() throws InterruptedException {
        return baseUrl(Duration.ofSeconds(60));
    }

    /** An HTTP answer. */
    record Answer(int status, String body) {
    }

    /** SIGKILL, as a crash. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
