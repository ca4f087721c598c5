package io.agentwatch.processor.bench;

import io.agentwatch.embedded.ApicurioRegistry;
import io.agentwatch.embedded.BrokerSettings;
import io.agentwatch.embedded.EmbeddedKafkaBroker;
import io.agentwatch.embedded.RegistrySettings;
import io.agentwatch.processor.ProcessorApp;
import io.agentwatch.processor.ProcessorConfig;
import io.agentwatch.processor.ProcessorSettings;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.service.Settings;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A rough end-to-end comparison on this machine, not the project's benchmark: one in-process broker and the
 * registry, the synthetic fleet's events produced once, then the processor (exactly-once, its default settings)
 * run over them from the start, once with only the core rules (window and event rules: the detectors' nodes are
 * left out of the topology) and once with every default rule; each run is timed until the consumer group has
 * committed the end of the input. Prints events/s and process CPU (broker included) per event.
 *
 * <pre>
 * java -cp ... io.agentwatch.processor.bench.EndToEndBenchmark [events=1000000] [agents=2000] [rate=20000] [rounds=2]
 * </pre>
 */
public final class EndToEndBenchmark {
    private static final int PARTITIONS = 6;

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 20_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path work = Files.createTempDirectory("agentwatch-e2e");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.of(0, work.resolve("kafka")));
             ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.inMemory(0, work.resolve("registry")));
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("agent.events", PARTITIONS, (short) 1), new NewTopic("agent.alerts", 3, (short) 1),
                    new NewTopic("agent.events.dlq", 1, (short) 1), new NewTopic("agent.control", 1, (short) 1),
                    new NewTopic("agent.rules", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
            long duration = (long) (events / rate) + 60;
            SimulationConfig config = SimulationConfig.of(42, agents, rate, Duration.ofSeconds(duration),
                    System.currentTimeMillis() - duration * 1000).withMaxEvents(events);
            produce(broker.bootstrapServers(), registry.confluentUrl(), new FleetSimulator(config));
            Path coreRules = work.resolve("core-rules.yaml");
            Files.writeString(coreRules, coreRulesYaml());
            for (int round = 1; round <= rounds; round++) {
                for (boolean all : new boolean[] {false, true}) {
                    run(broker.bootstrapServers(), registry.confluentUrl(), work.resolve("state-" + round + "-" + all), all ? null : coreRules,
                            admin, events, round, all ? "every default rule" : "core rules only");
                }
            }
        }
    }

    private static void produce(String bootstrap, String registryUrl, FleetSimulator simulator) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        long n = 0;
        try (HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryConfig.of(registryUrl));
             KafkaProducer<String, AgentEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
                     new AvroWireSerializer<>(client, false, true))) {
            for (AgentEvent e : simulator) {
                producer.send(new ProducerRecord<>("agent.events", null, e.getTimestamp().toEpochMilli(), e.getAgentId(), e));
                n++;
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produced %,d events%n", n);
    }

    private static void run(String bootstrap, String registryUrl, Path stateDir, Path rules, Admin admin, long events, int round, String label)
            throws Exception {
        String appId = "e2e-" + round + "-" + (rules == null ? "all" : "core");
        Map<String, String> settings = new HashMap<>(Map.of(
                ProcessorSettings.BOOTSTRAP, bootstrap,
                ProcessorSettings.REGISTRY, registryUrl,
                ProcessorSettings.APPLICATION_ID, appId,
                ProcessorSettings.STATE_DIR, stateDir.toString(),
                ProcessorSettings.HTTP_PORT, "0"));
        if (rules != null) {
            settings.put(ProcessorSettings.RULES_FILE, rules.toString());
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (ProcessorApp app = ProcessorApp.start(ProcessorConfig.from(Settings.load(ProcessorSettings.all(), null, Map.of(), settings)))) {
            while (committed(admin, appId) < events) {
                if (app.streams().state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("processor failed");
                }
                Thread.sleep(200); // a benchmark's poll loop, not a test
            }
            long ns = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            System.out.printf(Locale.ROOT, "round %d  %-22s %,9.0f events/s   %,6.0f ns CPU/event (whole process, broker included)%n",
                    round, label, events / (ns / 1e9), (double) cpu / events);
        }
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals("agent.events") && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /** The default rules file without the detector kinds: window and event rules only. */
    private static String coreRulesYaml() throws Exception {
        String yaml;
        try (InputStream in = EndToEndBenchmark.class.getResourceAsStream(RulesFile.DEFAULT_RESOURCE)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] blocks = yaml.split("\n  - id: ");
        List<String> kept = new ArrayList<>();
        kept.add(blocks[0]);
        for (int i = 1; i < blocks.length; i++) {
            if (blocks[i].contains("kind: window") || blocks[i].contains("kind: event")) {
                kept.add(blocks[i]);
            }
        }
        return kept.stream().collect(Collectors.joining("\n  - id: "));
    }
}
