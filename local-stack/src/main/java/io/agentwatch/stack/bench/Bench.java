package io.agentwatch.stack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.agentwatch.processor.ProcessorMain;
import io.agentwatch.schema.Contracts;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.IncidentSpec;
import io.agentwatch.simulator.publish.FleetPublisher;
import io.agentwatch.simulator.publish.KafkaEventSink;
import io.agentwatch.simulator.publish.Pacer;
import io.agentwatch.stack.LocalStack;
import io.agentwatch.stack.demo.ConsumerLag;
import io.agentwatch.stack.process.JavaProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark harness: loads a topic with synthetic events (sessions and traces included), then measures in the
 * same run (a) the raw baseline, plain consumers that decode and count, (b) the full processor as its own JVM with
 * every detector and exactly-once, its sustained events/s and peak resident memory, and (c) the processor's
 * event-to-alert latency while the fleet runs in real time at a fraction of that maximum. Prints the figures and
 * writes them as JSON.
 */
public final class Bench {
    /** What to run. */
    public record Options(long events, int agents, int threads, double latencyFraction, Duration latencyDuration, Path workDir, Path report,
                          String processorHeap, long seed, List<String> processorJvmOptions, String rules) {
    }

    private final Options o;
    private Path rulesFile;
    private final PrintWriter out;

    public Bench(Options options, PrintWriter out) {
        this.o = options;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        wipe(o.workDir());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version")));
        say("starting a Kafka broker and a schema registry under %s ...", o.workDir());
        try (LocalStack stack = LocalStack.start(o.workDir().resolve("stack"), 0, 0)) {
            String bootstrap = stack.broker().bootstrapServers();
            String registry = stack.registry().confluentUrl();

            // load
            double loadRate = events() / o.agents() < 100 ? o.agents() / 2.0 : 5_000;
            Duration fleetTime = Duration.ofMillis((long) (o.events() / loadRate * 1000) + 60_000);
            long start = System.currentTimeMillis() - fleetTime.toMillis() - Duration.ofMinutes(20).toMillis();
            SimulationConfig load = new SimulationConfig(o.seed(), o.agents(), loadRate, fleetTime, start, List.of(),
                    SimulationConfig.DEFAULT_HEARTBEAT, o.events());
            say("loading %,d events of %,d agents (sessions, runs, multi-agent traces, heartbeats) into %s ...", o.events(), o.agents(), Contracts.EVENTS_TOPIC);
            long sessions;
            FleetPublisher.Result loaded;
            try (KafkaEventSink sink = KafkaEventSink.create(bootstrap, registry, Contracts.EVENTS_TOPIC, Map.of())) {
                FleetSimulator simulator = new FleetSimulator(load);
                java.util.Set<String> sessionIds = new java.util.HashSet<>();
                java.util.Iterator<io.agentwatch.schema.AgentEvent> events = simulator.iterator();
                java.util.Iterator<io.agentwatch.schema.AgentEvent> counting = new java.util.Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return events.hasNext();
                    }

                    @Override
                    public io.agentwatch.schema.AgentEvent next() {
                        io.agentwatch.schema.AgentEvent e = events.next();
                        if (e.getSessionId() != null) {
                            sessionIds.add(e.getSessionId());
                        }
                        return e;
                    }
                };
                loaded = new FleetPublisher(sink, Pacer.asFastAsPossible(), Duration.ofSeconds(10),
                        p -> say("  %,d sent", p.sent()), System::nanoTime).publish(counting);
                sessions = sessionIds.size();
            }
            say("  loaded %,d events in %.1fs (%,.0f events/s), %,d sessions", loaded.sent(), loaded.elapsed().toMillis() / 1e3, loaded.eventsPerSecond(), sessions);
            report.put("load", Map.of("events", loaded.sent(), "agents", o.agents(), "sessions", sessions, "events_per_second", Math.round(loaded.eventsPerSecond())));

            // (a) raw baseline
            say("(a) raw baseline: %d plain consumers decoding and counting per agent ...", o.threads());
            double raw = RawBaseline.run(bootstrap, stack.registryClient(), Contracts.EVENTS_TOPIC, loaded.sent(), o.threads());
            say("  %,.0f events/s", raw);
            report.put("raw_baseline_events_per_second", Math.round(raw));

            // (b) the processor
            rulesFile = BenchRules.write(o.rules(), o.workDir());
            String ruleSet = rulesFile == null ? "every detector" : o.rules().equals(BenchRules.CORE) ? "core rules only" : "rules of " + o.rules();
            report.put("rules", ruleSet);
            say("(b) the processor (own JVM, %s heap, %d stream threads, exactly_once_v2, %s) ...", o.processorHeap(), o.threads(), ruleSet);
            Map<String, String> env = processorEnv(bootstrap, registry);
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + o.processorHeap(), "-XX:+UseG1GC"));
            jvm.addAll(o.processorJvmOptions());
            try (JavaProcess processor = JavaProcess.start(ProcessorMain.class.getName(), jvm, List.of(), env, o.workDir().resolve("processor.log"))) {
                Map<String, Object> throughput = measureThroughput(stack, processor, loaded.sent());
                throughput.putAll(processorCounters(processor));
                long stateBytes = directorySize(o.workDir().resolve("processor-state"));
                throughput.put("state_dir_bytes", stateBytes);
                say("  state directory %,d MiB after the run: %,d bytes per agent", stateBytes >> 20, stateBytes / o.agents());
                report.put("processor", throughput);
                double sustained = ((Number) throughput.get("sustained_events_per_second")).doubleValue();
                report.put("ratio_to_raw_baseline", Math.round(sustained / raw * 1000) / 1000.0);
                say("  ratio to the raw baseline: %.3f", sustained / raw);

                // (c) latency at a fraction of the maximum
                double rate = Math.max(1_000, sustained * o.latencyFraction());
                report.put("latency", measureLatency(bootstrap, registry, rate, processor));
                report.put("processor_peak_resident_bytes", processor.peakResidentBytes());
                say("  processor peak resident memory: %,d MiB", processor.peakResidentBytes() >> 20);
            }
        }
        Files.createDirectories(o.report().toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.report().toFile(), report);
        say("figures written to %s", o.report());
        return report;
    }

    private static long directorySize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private long events() {
        return o.events();
    }

    private Map<String, String> processorEnv(String bootstrap, String registry) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTWATCH_BOOTSTRAP_SERVERS", bootstrap);
        env.put("AGENTWATCH_SCHEMA_REGISTRY_URL", registry);
        env.put("AGENTWATCH_APPLICATION_ID", "agentwatch-bench");
        env.put("AGENTWATCH_STATE_DIR", o.workDir().resolve("processor-state").toString());
        env.put("AGENTWATCH_STREAM_THREADS", Integer.toString(o.threads()));
        env.put("AGENTWATCH_HTTP_PORT", "0");
        env.put("AGENTWATCH_REPLICATION_FACTOR", "1");
        env.put("AGENTWATCH_PROCESSING_GUARANTEE", "exactly_once_v2");
        if (rulesFile != null) {
            env.put("AGENTWATCH_RULES_FILE", rulesFile.toString());
        }
        return env;
    }

    private Map<String, Object> measureThroughput(LocalStack stack, JavaProcess processor, long total) throws InterruptedException {
        long started = System.nanoTime();
        long t5 = 0;
        long t95 = 0;
        long done = 0;
        long lastReport = started;
        List<Long> rss = new ArrayList<>();
        while (done == 0) {
            if (!processor.isAlive()) {
                throw new IllegalStateException("the processor exited (code " + processor.exitCode() + "); see " + processor.log());
            }
            long lag = ConsumerLag.of(stack.admin(), "agentwatch-bench", Contracts.EVENTS_TOPIC);
            long processed = total - lag;
            long now = System.nanoTime();
            if (t5 == 0 && processed >= total * 0.05) {
                t5 = now;
            }
            if (t95 == 0 && processed >= total * 0.95) {
                t95 = now;
            }
            if (processed >= total) {
                done = now;
            }
            rss.add(processor.residentBytes());
            if (now - lastReport > 5_000_000_000L) {
                say("  %,d of %,d processed, resident %,d MiB", processed, total, processor.residentBytes() >> 20);
                lastReport = now;
            }
            if (now - started > Duration.ofMinutes(20).toNanos()) {
                throw new IllegalStateException("the processor did not finish within 20 minutes");
            }
            Thread.sleep(200);
        }
        double sustained = total * 0.9 / ((t95 - t5) / 1e9);
        double overall = total / ((done - started) / 1e9);
        say("  sustained %,.0f events/s (between 5%% and 95%% of the input), %,.0f events/s from process start (incl. JVM start and restore)",
                sustained, overall);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sustained_events_per_second", Math.round(sustained));
        m.put("events_per_second_from_start", Math.round(overall));
        m.put("resident_bytes_max_sampled", rss.stream().mapToLong(Long::longValue).max().orElse(-1));
        return m;
    }

    /** A few counters from the processor's /metrics: alerts written and commits, which explain its throughput. */
    private Map<String, Object> processorCounters(JavaProcess processor) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            String log = Files.readString(processor.log());
            Matcher url = Pattern.compile("HTTP server listening on (http://[0-9.:]+)").matcher(log);
            if (!url.find()) {
                return m;
            }
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.group(1) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double alerts = 0;
            double commits = 0;
            for (String line : scrape.split("\n")) {
                if (line.startsWith("agentwatch_alerts_emitted_total{")) {
                    alerts += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("kafka_stream_thread_commit_total{")) {
                    commits += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            m.put("alerts_written", Math.round(alerts));
            m.put("commits", Math.round(commits));
            say("  %,.0f alert records written, %,.0f commits", alerts, commits);
        } catch (IOException | RuntimeException e) {
            say("  (could not read the processor's metrics: %s)", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    private Map<String, Object> measureLatency(String bootstrap, String registry, double rate, JavaProcess processor) throws Exception {
        long start = System.currentTimeMillis();
        say("(c) event-to-alert latency: the fleet in real time at %,.0f events/s for %s, with event-driven incidents ...", rate,
                io.agentwatch.service.Durations.format(o.latencyDuration()));
        List<IncidentSpec> incidents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            incidents.add(IncidentSpec.parse("iteration_limit@" + (2 + i * 3) + "s+" + Math.max(10, o.latencyDuration().toSeconds() - 10 - i * 3) + "s"));
            incidents.add(IncidentSpec.parse("tool_loop@" + (3 + i * 3) + "s+20s"));
            incidents.add(IncidentSpec.parse("run_token_overrun@" + (4 + i * 3) + "s+20s"));
            incidents.add(IncidentSpec.parse("tool_timeouts@" + (5 + i * 3) + "s+20s"));
            incidents.add(IncidentSpec.parse("cascade@" + (6 + i * 3) + "s+20s"));
        }
        SimulationConfig live = new SimulationConfig(o.seed(), o.agents(), rate, o.latencyDuration(), start, incidents,
                SimulationConfig.DEFAULT_HEARTBEAT, 0);
        FleetPublisher.Result sent;
        try (LatencyProbe probe = new LatencyProbe(bootstrap, Contracts.ALERTS_TOPIC, start);
             KafkaEventSink sink = KafkaEventSink.create(bootstrap, registry, Contracts.EVENTS_TOPIC, Map.of())) {
            sent = new FleetPublisher(sink, Pacer.realTime(start, System::nanoTime, Thread::sleep), Duration.ofSeconds(10),
                    p -> say("  %,d sent, %,.0f events/s, processor resident %,d MiB", p.sent(), p.currentRate(), processor.residentBytes() >> 20),
                    System::nanoTime).publish(new FleetSimulator(live).iterator());
            Thread.sleep(5_000);
            List<Long> latencies = probe.latencies();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target_events_per_second", Math.round(rate));
            m.put("achieved_events_per_second", Math.round(sent.eventsPerSecond()));
            m.put("alerts", latencies.size());
            m.put("p50_ms", LatencyProbe.percentile(latencies, 0.50));
            m.put("p99_ms", LatencyProbe.percentile(latencies, 0.99));
            m.put("max_ms", LatencyProbe.percentile(latencies, 1.0));
            say("  %,d alerts: latency p50 %d ms, p99 %d ms, max %d ms (sent %,.0f events/s)", latencies.size(), m.get("p50_ms"), m.get("p99_ms"),
                    m.get("max_ms"), sent.eventsPerSecond());
            return m;
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, Instant.now().toString().substring(11, 19) + "  " + format + "%n", args);
        out.flush();
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
