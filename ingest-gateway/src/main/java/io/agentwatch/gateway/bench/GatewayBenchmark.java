package io.agentwatch.gateway.bench;

import io.agentwatch.gateway.GatewayConfig;
import io.agentwatch.gateway.GatewaySettings;
import io.agentwatch.gateway.IngestGateway;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.service.Durations;
import io.agentwatch.service.Settings;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The gateway load benchmark: client threads post OTLP batches of GenAI spans and it prints the accepted spans per
 * second and the request latency percentiles. Two ways to run it:
 * <ul>
 *   <li>against a running gateway: {@code --url http://127.0.0.1:4318};</li>
 *   <li>against a running Kafka and schema registry: {@code --bootstrap-servers ... --registry-url ...}; it starts
 *       a gateway in this JVM, and after the run reads the topic back to check that every acknowledged span is
 *       there (nothing acknowledged lost).</li>
 * </ul>
 * The clients share the machine with the gateway (and with Kafka, on a one-machine setup): on a small machine the
 * figure is a lower bound of what the gateway alone does.
 */
@Command(name = "gateway-bench", mixinStandardHelpOptions = true,
        description = "Posts OTLP batches of GenAI spans to the ingest gateway; prints accepted spans/s and p99 latency.")
public final class GatewayBenchmark implements Callable<Integer> {
    @Option(names = "--url", description = "a running gateway's base URL; without it a gateway is started in this JVM")
    URI url;

    @Option(names = {"-b", "--bootstrap-servers"}, description = "Kafka, for the in-process gateway and the verification")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, description = "schema registry, for the in-process gateway and the verification")
    String registryUrl;

    @Option(names = {"-t", "--topic"}, defaultValue = "agent.events", description = "events topic (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--threads", defaultValue = "8", description = "client threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--spans-per-request", defaultValue = "510", description = "spans per request, whole agent runs of 3 (default ${DEFAULT-VALUE})")
    int spansPerRequest;

    @Option(names = "--agents", defaultValue = "200", description = "distinct agent ids (default ${DEFAULT-VALUE})")
    int agents;

    @Option(names = "--warmup", defaultValue = "10s", description = "warm-up, not measured (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--duration", defaultValue = "30s", description = "measured time (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--encoding", defaultValue = "protobuf", description = "protobuf or json (default ${DEFAULT-VALUE})")
    String encoding;

    @Option(names = "--gzip", description = "gzip the request bodies")
    boolean gzip;

    @Option(names = "--token", description = "bearer token to send")
    String token;

    @Option(names = "--no-verify", description = "skip reading the topic back")
    boolean noVerify;

    @Option(names = "--outage-at", description = "stop Kafka this long into the measured time (with --kafka-stop-command)")
    String outageAt;

    @Option(names = "--outage-for", defaultValue = "15s", description = "how long Kafka stays stopped (default ${DEFAULT-VALUE})")
    String outageFor;

    @Option(names = "--kafka-stop-command", description = "shell command that stops Kafka, e.g. 'kill $(cat broker.pid)'")
    String kafkaStopCommand;

    @Option(names = "--kafka-start-command", description = "shell command that starts Kafka again (returns once it is started or keeps running in the background)")
    String kafkaStartCommand;

    @Option(names = "--gateway-threads", defaultValue = "32", description = "http.threads of the in-process gateway (default ${DEFAULT-VALUE})")
    int gatewayThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        boolean inProcess = url == null;
        if (inProcess && (bootstrapServers == null || registryUrl == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "give --url (a running gateway) or --bootstrap-servers and --registry-url (start one here)");
        }
        IngestGateway gateway = null;
        SchemaRegistryClient registry = registryUrl == null ? null : new HttpSchemaRegistryClient(RegistryConfig.of(registryUrl));
        TopicVerifier verifier = null;
        Map<TopicPartition, Long> before = null;
        try {
            if (inProcess) {
                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put(GatewaySettings.HTTP_PORT, "0");
                overrides.put(GatewaySettings.HTTP_THREADS, Integer.toString(gatewayThreads));
                overrides.put(GatewaySettings.REGISTRY_URL, registryUrl);
                overrides.put(GatewaySettings.EVENTS_TOPIC, topic);
                Settings settings = Settings.load(GatewaySettings.ALL, null, System.getenv(), overrides);
                gateway = IngestGateway.start(GatewayConfig.from(settings, Map.of("bootstrap.servers", bootstrapServers)));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!gateway.ready() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                if (!gateway.ready()) {
                    out.println("the in-process gateway did not become ready within 60 s (Kafka or the registry unreachable?)");
                    return 1;
                }
                url = URI.create(gateway.baseUrl());
            }
            if (!noVerify && bootstrapServers != null && registry != null) {
                verifier = new TopicVerifier(Map.of("bootstrap.servers", bootstrapServers), registry, topic);
                before = verifier.endOffsets();
            }
            LoadGenerator.Options options = new LoadGenerator.Options(url.resolve("/v1/traces"), threads, spansPerRequest, agents,
                    encoding.equalsIgnoreCase("json"), gzip, Optional.ofNullable(token));
            Duration warm = Durations.parse(warmup);
            Duration measured = Durations.parse(duration);
            LoadGenerator load = new LoadGenerator(options);
            out.printf("gateway benchmark: %s, %d client threads, %d spans/request (%s%s, %,d bytes), %s warm-up + %s measured%n",
                    url, threads, load.template().spans(), load.template().json() ? "OTLP/JSON" : "OTLP/protobuf",
                    gzip ? ", gzip" : "", load.template().bytes(), Durations.format(warm), Durations.format(measured));
            load.start();
            Thread.sleep(warm.toMillis());
            load.startMeasuring();
            if (outageAt != null) {
                runWithOutage(out, load, measured);
            } else {
                Thread.sleep(measured.toMillis());
            }
            load.stop();
            LoadGenerator.Result r = load.result();
            print(out, r);
            if (outageAt != null) {
                load.statusesByPhase().forEach((phase, counts) -> out.printf("  answers while %s: %s%n", phase, counts));
                load.timeline(5).forEach(line -> out.println("  " + line));
            }
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
            if (verifier != null) {
                TopicVerifier.Verdict v = verifier.verify(before, r.acknowledged(), r.spansPerRequest());
                out.printf("verification: %,d spans acknowledged, %,d missing on the topic, %,d records read, %,d duplicates, "
                        + "%,d published but not acknowledged%n", v.acknowledgedSpans(), v.missing(), v.records(), v.duplicates(),
                        v.publishedUnacknowledged());
                out.println(v.nothingLost() ? "nothing acknowledged was lost" : "LOST ACKNOWLEDGED EVENTS");
                return v.nothingLost() ? 0 : 3;
            }
            return 0;
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** Stops Kafka at --outage-at, starts it again --outage-for later, and counts the answers of each phase apart. */
    private void runWithOutage(PrintWriter out, LoadGenerator load, Duration measured) throws Exception {
        if (kafkaStopCommand == null || kafkaStartCommand == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--outage-at needs --kafka-stop-command and --kafka-start-command");
        }
        long begin = System.nanoTime();
        Duration at = Durations.parse(outageAt);
        Duration length = Durations.parse(outageFor);
        Thread.sleep(at.toMillis());
        out.printf("stopping Kafka: %s%n", kafkaStopCommand);
        load.phase("kafka stopped");
        shell(kafkaStopCommand);
        out.printf("Kafka stopped at t=%.1fs%n", load.secondsSinceStart());
        Thread.sleep(length.toMillis());
        out.printf("starting Kafka: %s%n", kafkaStartCommand);
        shell(kafkaStartCommand);
        load.phase("kafka restarted");
        out.printf("Kafka listening again at t=%.1fs%n", load.secondsSinceStart());
        long left = measured.toNanos() - (System.nanoTime() - begin);
        if (left > 0) {
            Thread.sleep(left / 1_000_000L);
        }
    }

    private static void shell(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("'" + command + "' exited with " + exit);
        }
    }

    static void print(PrintWriter out, LoadGenerator.Result r) {
        out.printf("answers: %s, transport errors %d%n", r.statuses(), r.transportErrors());
        out.printf("accepted spans/s: %,.0f (%,d spans in %.1f s)%n", r.spansPerSecond(), r.measuredSpans(), r.measuredSeconds());
        out.printf("request latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d requests)%n", r.p50Ms(), r.p99Ms(), r.maxMs(),
                r.measuredRequests());
    }
}
