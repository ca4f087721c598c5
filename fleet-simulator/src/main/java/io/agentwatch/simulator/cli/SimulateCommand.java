package io.agentwatch.simulator.cli;

import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.simulator.Durations;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.Incident;
import io.agentwatch.simulator.incident.IncidentKind;
import io.agentwatch.simulator.incident.IncidentPlanner;
import io.agentwatch.simulator.publish.AvroFileEventSink;
import io.agentwatch.simulator.publish.EventSink;
import io.agentwatch.simulator.publish.FleetPublisher;
import io.agentwatch.simulator.publish.KafkaEventSink;
import io.agentwatch.simulator.publish.Pacer;
import io.agentwatch.simulator.publish.Progress;
import io.agentwatch.simulator.publish.PublishException;
import io.agentwatch.simulator.truth.GroundTruthFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code agentwatch simulate}: runs a simulated fleet and publishes its events to a Kafka topic (or writes them to
 * a file), with injected incidents and their ground truth. The {@code agentwatch} command of local-stack registers
 * it as a subcommand; {@link #main} runs it alone.
 */
@Command(name = "simulate", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Simulates a fleet of AI agents and publishes its events to Kafka (or to a file),",
                "injecting labelled incidents and writing their ground truth."},
        footer = {"", "Incident kinds: error_burst, latency_regression, token_drift, tool_loop,",
                "  tool_timeouts, silent_agent, cascade, release_regression, session_budget,",
                "  iteration_limit, run_token_overrun, manual_rescue, escalation,",
                "  success_rate_drop, confidence_drift.",
                "Exit codes: 0 done, 1 publishing failed, 2 bad options, 130 interrupted."})
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (required unless --output).")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL", description = "Confluent-compatible schema registry base URL (required unless --output).")
    String registry;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = Contracts.EVENTS_TOPIC, description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "50", description = "Number of agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "200", description = "Events per (simulated) second over the fleet, heartbeats included (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "10m", converter = DurationConverter.class,
            description = "Simulated time span: 90s, 10m, 1h, 1h30m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed: the same seed and options give the same events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--incidents", paramLabel = "LIST", defaultValue = "none", converter = IncidentList.Converter.class,
            description = "all, none, or a comma list of kind[@offset[+length]], e.g. error_burst@30s+2m,cascade (default: ${DEFAULT-VALUE}).")
    IncidentList incidents;

    @Option(names = "--truth", paramLabel = "FILE", description = "Write the ground truth (JSON Lines) of the injected incidents here.")
    Path truth;

    @Option(names = "--realtime", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send each event when its event time comes (default), or with --no-realtime as fast as possible.")
    boolean realtime;

    @Option(names = "--start-time", paramLabel = "TIME", converter = StartTimeConverter.class,
            description = "Simulated start, epoch ms or ISO-8601. Default: now in real time; now minus --duration with --no-realtime, so that no event lies in the future.")
    Long startTime;

    @Option(names = "--producer-config", paramLabel = "FILE", description = "Extra Kafka producer and schema-registry properties (SASL, TLS, ...).")
    Path producerConfig;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the events to this Avro container file instead of Kafka.")
    Path output;

    @Option(names = "--output-codec", paramLabel = "CODEC", defaultValue = AvroFileEventSink.DEFAULT_CODEC,
            description = "Compression of --output: null, deflate, snappy, zstandard (default: ${DEFAULT-VALUE}).")
    String outputCodec;

    @Option(names = "--max-events", paramLabel = "N", defaultValue = "0", description = "Stop after N events (0: no limit).")
    long maxEvents;

    @Option(names = "--heartbeat-interval", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
            description = "Interval of each agent's heartbeat; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--progress-interval", paramLabel = "D", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often to print a progress line (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Pacer.Sleeper sleeper;

    public SimulateCommand() {
        this(Clock.systemUTC(), System::nanoTime, Thread::sleep);
    }

    /** For tests: the wall clock, the monotonic clock and the sleep the command uses. */
    SimulateCommand(Clock clock, LongSupplier nanoClock, Pacer.Sleeper sleeper) {
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Map<String, Object> extra = loadProducerConfig();
        long start = startTime != null ? startTime : realtime ? clock.millis() : clock.millis() - duration.toMillis();
        FleetSimulator simulator = simulator(start);
        SimulationConfig config = simulator.config();

        out.printf(Locale.ROOT, "simulating %d agents at %s events/s for %s, seed %d, from %s, %s%n", config.agents(), number(config.eventsPerSecond()),
                Durations.format(config.duration()), config.seed(), Instant.ofEpochMilli(config.startMs()), realtime ? "in real time" : "as fast as possible");
        for (Incident incident : simulator.incidents()) {
            out.printf(Locale.ROOT, "  incident %-22s on %-32s at +%-8s for %-8s expects %s%n", incident.id(), incident.agent().agentId(),
                    Durations.format(Duration.ofMillis(incident.startMs() - config.startMs())),
                    Durations.format(Duration.ofMillis(incident.endMs() - incident.startMs())), String.join(" or ", incident.expectedAlertnames()));
        }
        if (truth != null) {
            new GroundTruthFile().write(truth, simulator.groundTruth());
            out.printf("ground truth: %s (%d incidents)%n", truth, simulator.incidents().size());
        }
        out.flush();

        try (EventSink sink = openSink(extra)) {
            out.println("sending to " + sink.describe());
            out.flush();
            Pacer pacer = realtime ? Pacer.realTime(config.startMs(), nanoClock, sleeper) : Pacer.asFastAsPossible();
            FleetPublisher publisher = new FleetPublisher(sink, pacer, progressInterval, p -> printProgress(out, p, config), nanoClock);
            FleetPublisher.Result result = publishStoppingOnShutdown(publisher, simulator);
            out.printf(Locale.ROOT, "%s: sent %,d events (%,d acknowledged) in %s, %,.0f events/s%n", result.stoppedEarly() ? "stopped" : "done",
                    result.sent(), result.acknowledged(), clockTime(result.elapsed()), result.eventsPerSecond());
            out.flush();
            return 0;
        } catch (PublishException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            err.flush();
            return 130;
        }
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (output != null) {
            if (bootstrap != null) {
                throw new ParameterException(cl, "--output and --bootstrap exclude each other: write to a file or to Kafka");
            }
        } else {
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new ParameterException(cl, "--bootstrap is required (or --output to write a file)");
            }
            for (String server : bootstrap.split(",")) {
                if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
                    throw new ParameterException(cl, "--bootstrap: '" + server.trim() + "' is not HOST:PORT");
                }
            }
            if (registry == null || registry.isBlank()) {
                throw new ParameterException(cl, "--registry is required with --bootstrap (the schema registry base URL)");
            }
            try {
                RegistryConfig.of(registry);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "--registry: " + e.getMessage());
            }
            if (topic == null || topic.isBlank()) {
                throw new ParameterException(cl, "--topic must not be empty");
            }
        }
        if (agents < 1) {
            throw new ParameterException(cl, "--agents must be at least 1, got " + agents);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new ParameterException(cl, "--rate must be a positive number of events per second, got " + rate);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new ParameterException(cl, "--duration must be positive");
        }
        if (maxEvents < 0) {
            throw new ParameterException(cl, "--max-events must be >= 0");
        }
        if (progressInterval.isZero() || progressInterval.isNegative()) {
            throw new ParameterException(cl, "--progress-interval must be positive");
        }
        if (startTime != null && startTime < SimulationConfig.EARLIEST_START_MS) {
            throw new ParameterException(cl, "--start-time " + startTime + " is before 2000-01-01 (seconds instead of milliseconds?)");
        }
    }

    private FleetSimulator simulator(long start) {
        CommandLine cl = spec.commandLine();
        SimulationConfig config;
        try {
            config = new SimulationConfig(seed, agents, rate, duration, start, incidents.specs(), heartbeatInterval, maxEvents);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--rate: " + e.getMessage());
        }
        try {
            return new FleetSimulator(config);
        } catch (IllegalArgumentException e) {
            int needed = minimumAgents();
            throw new ParameterException(cl, "--incidents: " + e.getMessage() + (needed > agents ? " (--agents " + needed + ")" : ""));
        }
    }

    private int minimumAgents() {
        int solo = 0;
        int crews = 0;
        for (var s : incidents.specs()) {
            if (s.kind().target() == IncidentKind.Target.CREW) {
                crews++;
            } else {
                solo++;
            }
        }
        return IncidentPlanner.minimumAgents(solo, crews);
    }

    private Map<String, Object> loadProducerConfig() throws IOException {
        Map<String, Object> extra = new HashMap<>();
        if (producerConfig == null) {
            return extra;
        }
        if (!Files.isRegularFile(producerConfig)) {
            throw new ParameterException(spec.commandLine(), "--producer-config: no such file " + producerConfig);
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(producerConfig)) {
            props.load(in);
        }
        props.stringPropertyNames().forEach(name -> extra.put(name, props.getProperty(name)));
        return extra;
    }

    private EventSink openSink(Map<String, Object> extra) {
        if (output != null) {
            try {
                return new AvroFileEventSink(output, outputCodec, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--output-codec: " + e.getMessage());
            }
        }
        return KafkaEventSink.create(bootstrap, registry, topic, extra);
    }

    /** Publishes; on Ctrl-C (JVM shutdown) asks the publisher to stop and waits for it to flush. */
    private FleetPublisher.Result publishStoppingOnShutdown(FleetPublisher publisher, FleetSimulator simulator) throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            publisher.stop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return publisher.publish(simulator.iterator());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already shutting down: the hook is running and will see the latch
            }
        }
    }

    private static void printProgress(PrintWriter out, Progress p, SimulationConfig config) {
        String simulated = p.lastEventTimeMs() < 0 ? "-" : clockTime(Duration.ofMillis(p.lastEventTimeMs() - config.startMs()));
        out.printf(Locale.ROOT, "  sent %,12d  acked %,12d  %,9.0f events/s  elapsed %s  simulated %s of %s%n", p.sent(), p.acknowledged(),
                p.currentRate(), clockTime(p.elapsed()), simulated, clockTime(config.duration()));
        out.flush();
    }

    static String clockTime(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
