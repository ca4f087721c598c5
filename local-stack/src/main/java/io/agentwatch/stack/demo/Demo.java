package io.agentwatch.stack.demo;

import ch.qos.logback.classic.Level;
import io.agentwatch.embedded.Ports;
import io.agentwatch.processor.ProcessorApp;
import io.agentwatch.processor.ProcessorConfig;
import io.agentwatch.processor.ProcessorSettings;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Contracts;
import io.agentwatch.service.Settings;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.Incident;
import io.agentwatch.simulator.incident.IncidentSpec;
import io.agentwatch.simulator.publish.FleetPublisher;
import io.agentwatch.simulator.publish.KafkaEventSink;
import io.agentwatch.simulator.publish.Pacer;
import io.agentwatch.simulator.score.ScoreResult;
import io.agentwatch.simulator.score.Scorer;
import io.agentwatch.simulator.truth.GroundTruthFile;
import io.agentwatch.sink.AlertSink;
import io.agentwatch.sink.SinkSettings;
import io.agentwatch.stack.LocalStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end demo in one JVM: the local stack, the stream processor, the alert sink with its page, and a
 * simulated fleet with a scripted series of incidents, played faster than real time (a long scenario in about two
 * minutes: event times stay in the past, so every window, baseline and `for` of the default rules behaves as in
 * production). Every alert is printed as it fires and resolves; at the end the alerts are scored against the ground
 * truth of the injected incidents.
 */
public final class Demo implements AutoCloseable {
    /** Settings of one demo run. */
    public record Options(Path dataDir, int kafkaPort, int registryPort, int processorPort, int sinkPort, int agents,
                          double eventsPerSecond, Duration duration, double speed, long seed, String incidents, Path rulesFile) {
    }

    private final Options options;
    private final PrintWriter out;
    private LocalStack stack;
    private ProcessorApp processor;
    private AlertSink sink;
    private AlertPrinter printer;
    private volatile FleetPublisher publisher;

    public Demo(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the scenario and returns the score; the services keep running until {@link #close()}. */
    public ScoreResult run() throws InterruptedException {
        long t0 = System.nanoTime();
        say("starting the local stack (Kafka broker and schema registry) in %s ...", options.dataDir());
        stack = LocalStack.start(options.dataDir(), options.kafkaPort(), options.registryPort());
        String bootstrap = stack.broker().bootstrapServers();
        String registryUrl = stack.registry().confluentUrl();
        say("  Kafka %s, schema registry %s", bootstrap, registryUrl);

        say("starting the stream processor ...");
        processor = ProcessorApp.start(ProcessorConfig.from(Settings.load(ProcessorSettings.all(), null, Map.of(), processorSettings(bootstrap, registryUrl))));
        say("  processor metrics and health on %s", processor.httpUrl());

        say("starting the alert sink ...");
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.agentwatch.sink.alerts")).setLevel(Level.WARN);
        Map<String, String> sinkOverrides = new HashMap<>();
        sinkOverrides.put(SinkSettings.BOOTSTRAP, bootstrap);
        sinkOverrides.put(SinkSettings.REGISTRY_URL, registryUrl);
        sinkOverrides.put(SinkSettings.HTTP_PORT, Integer.toString(port(options.sinkPort())));
        sinkOverrides.put(SinkSettings.GROUP, "agentwatch-demo-sink");
        sink = new AlertSink(AlertSink.settings(null, Map.of(), sinkOverrides)).start();
        say("");
        say("  >>> the alert page: %s <<<", sink.baseUrl() + "/");
        say("");

        printer = new AlertPrinter(bootstrap, stack.registryClient(), Contracts.ALERTS_TOPIC, out);

        long start = System.currentTimeMillis() - options.duration().toMillis();
        SimulationConfig config = new SimulationConfig(options.seed(), options.agents(), options.eventsPerSecond(), options.duration(), start,
                IncidentSpec.parseList(options.incidents()), SimulationConfig.DEFAULT_HEARTBEAT, 0);
        FleetSimulator simulator = new FleetSimulator(config);
        Path truthFile = options.dataDir().resolve("truth.jsonl");
        new GroundTruthFile().write(truthFile, simulator.groundTruth());
        say("a fleet of %d agents, %s of their time played %.0fx faster (about %s here), with %d incidents:", config.agents(),
                human(options.duration()), options.speed(), human(Duration.ofMillis((long) (options.duration().toMillis() / options.speed()))),
                simulator.incidents().size());
        for (Incident incident : simulator.incidents()) {
            say("  +%-6s %-20s on %-30s expect %s", human(Duration.ofMillis(incident.startMs() - start)), incident.kind().name().toLowerCase(Locale.ROOT),
                    incident.agent().agentId(), String.join(" or ", incident.expectedAlertnames()));
        }
        say("(ground truth in %s)", truthFile);
        say("");
        say("alerts, as they fire and resolve:");

        try (KafkaEventSink events = KafkaEventSink.create(bootstrap, registryUrl, Contracts.EVENTS_TOPIC, Map.of())) {
            publisher = new FleetPublisher(events, Pacer.scaled(start, options.speed(), System::nanoTime, Thread::sleep), Duration.ofSeconds(30),
                    p -> say("  ... %,d events sent, %s of fleet time played", p.sent(), human(Duration.ofMillis(Math.max(0, p.lastEventTimeMs() - start)))),
                    System::nanoTime);
            FleetPublisher.Result result = publisher.publish(simulator.iterator());
            if (result.stoppedEarly()) {
                return null;
            }
        }
        waitForCatchUp();
        ScoreResult score = new Scorer().score(simulator.groundTruth(), printer.alerts());
        say("");
        say("score of the alerts against the injected incidents (%s after start):", human(Duration.ofNanos(System.nanoTime() - t0)));
        out.println(score.render());
        out.flush();
        return score;
    }

    private Map<String, String> processorSettings(String bootstrap, String registryUrl) {
        Map<String, String> s = new HashMap<>();
        s.put(ProcessorSettings.APPLICATION_ID, "agentwatch-demo");
        s.put(ProcessorSettings.BOOTSTRAP, bootstrap);
        s.put(ProcessorSettings.REGISTRY, registryUrl);
        s.put(ProcessorSettings.STATE_DIR, options.dataDir().resolve("processor-state").toString());
        s.put(ProcessorSettings.HTTP_PORT, Integer.toString(port(options.processorPort())));
        s.put(ProcessorSettings.REPLICATION_FACTOR, "1");
        s.put(ProcessorSettings.COMMIT_INTERVAL, "500ms");
        if (options.rulesFile() != null) {
            s.put(ProcessorSettings.RULES_FILE, options.rulesFile().toString());
        }
        return s;
    }

    /** The preferred port when it is free, else any free port (the demo says which it uses). */
    private static int port(int preferred) {
        try {
            return Ports.requireFree(preferred, "demo service");
        } catch (io.agentwatch.embedded.PortInUseException e) {
            return 0;
        }
    }

    /** Waits until the processor has committed every event, then a little longer for the last evaluations. */
    private void waitForCatchUp() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && ConsumerLag.of(stack.admin(), "agentwatch-demo", Contracts.EVENTS_TOPIC) > 0) {
            Thread.sleep(500);
        }
        Thread.sleep(3_000);
    }

    private void say(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
        out.flush();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        return s % 60 == 0 ? s / 60 + "m" : s / 60 + "m" + s % 60 + "s";
    }

    /** Every alert record the demo has read from the alert topic (read_committed), in arrival order. */
    public List<Alert> alerts() {
        return printer == null ? List.of() : printer.alerts();
    }

    /** The running local stack (null before {@link #run()}). */
    public LocalStack stack() {
        return stack;
    }

    public String pageUrl() {
        return sink == null ? null : sink.baseUrl() + "/";
    }

    /** Stops the simulation, the printer, the sink, the processor and the stack, in that order. */
    @Override
    public void close() {
        FleetPublisher p = publisher;
        if (p != null) {
            p.stop();
        }
        closeQuietly(printer);
        closeQuietly(sink);
        closeQuietly(processor);
        closeQuietly(stack);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(Demo.class).warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
