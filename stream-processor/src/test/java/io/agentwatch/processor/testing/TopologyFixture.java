package io.agentwatch.processor.testing;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.processor.topology.AgentwatchTopology;
import io.agentwatch.processor.topology.Topics;
import io.agentwatch.processor.topology.TopologySettings;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The real topology in a {@link TopologyTestDriver}, with an in-process schema registry: events in, alerts and
 * dead letters out, time advanced explicitly by the events' own timestamps. One per test; close it.
 */
public final class TopologyFixture implements AutoCloseable {
    public static final String EVENTS = "agent.events";
    public static final String ALERTS = "agent.alerts";
    public static final String DLQ = "agent.events.dlq";
    public static final String RULES = "agent.rules";
    public static final String CONTROL = "agent.control";

    public final InMemorySchemaRegistryClient registry;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final Topology topology;
    public final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestInputTopic<String, AlertRule> rulesInput;
    private final TestOutputTopic<String, Alert> alerts;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final TestOutputTopic<String, ControlCommand> control;
    private final AvroWireSerializer<AgentEvent> eventSerializer;
    private final Path stateDir;
    private final boolean keepStateDir;

    public TopologyFixture() {
        this(RulesFile.defaults(), settings -> settings);
    }

    public TopologyFixture(RuleSet rules) {
        this(rules, settings -> settings);
    }

    public TopologyFixture(RuleSet rules, Function<TopologySettings, TopologySettings> tweak) {
        this(rules, tweak, null, TopologySettings.StoreKind.IN_MEMORY, new InMemorySchemaRegistryClient());
    }

    /**
     * A fixture on a given state directory (kept on close, so a second fixture can reopen it: a restart) with the
     * given store kind and registry.
     */
    public TopologyFixture(RuleSet rules, Function<TopologySettings, TopologySettings> tweak, Path stateDir,
                           TopologySettings.StoreKind stores, InMemorySchemaRegistryClient registry) {
        this.registry = registry;
        this.eventSerializer = new AvroWireSerializer<>(registry, false, true);
        this.keepStateDir = stateDir != null;
        try {
            this.stateDir = stateDir != null ? stateDir : Files.createTempDirectory("agentwatch-ttd");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Topics topics = Topics.of(EVENTS, ALERTS, DLQ, RULES, CONTROL, registry);
        // in-memory stores: RocksDB flushes on every TopologyTestDriver commit (one per record) and makes tests slow;
        // the persistence path is covered by TopologyPersistenceTest and the ITs
        TopologySettings settings = tweak.apply(AgentwatchTopology.defaultSettings(rules, 1).withStores(stores));
        topology = AgentwatchTopology.build(topics, rules, settings, new ProcessorMetrics(meters));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "agentwatch-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
        driver = new TopologyTestDriver(topology, props, Instant.parse("2026-11-01T00:00:00Z"));
        events = driver.createInputTopic(EVENTS, new ByteArraySerializer(), new ByteArraySerializer());
        rulesInput = driver.createInputTopic(RULES, new StringSerializer(), topics.rules().valueSerde().serializer());
        alerts = driver.createOutputTopic(ALERTS, Serdes.String().deserializer(), topics.alerts().valueSerde().deserializer());
        dlq = driver.createOutputTopic(DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        control = driver.createOutputTopic(CONTROL, Serdes.String().deserializer(), topics.control().valueSerde().deserializer());
    }

    /** Sends an event keyed by its agent id, as a well-behaved producer does. */
    public void send(AgentEvent event) {
        sendKeyed(event.getAgentId().getBytes(StandardCharsets.UTF_8), event);
    }

    public void sendKeyed(byte[] key, AgentEvent event) {
        events.pipeInput(new TestRecord<>(key, eventSerializer.serialize(EVENTS, event), event.getTimestamp()));
    }

    /** Sends raw bytes (poison pills). */
    public void sendRaw(byte[] key, byte[] value, Instant timestamp) {
        events.pipeInput(new TestRecord<>(key, value, timestamp));
    }

    public byte[] serialize(AgentEvent event) {
        return eventSerializer.serialize(EVENTS, event);
    }

    public void override(String key, AlertRule rule) {
        rulesInput.pipeInput(key, rule);
    }

    public void removeOverride(String key) {
        rulesInput.pipeInput(key, null);
    }

    /** Every alert written since the last call. */
    public List<Alert> alerts() {
        List<Alert> out = new ArrayList<>();
        while (!alerts.isEmpty()) {
            out.add(alerts.readValue());
        }
        return out;
    }

    /** Every control command written since the last call, with its key. */
    public List<TestRecord<String, ControlCommand>> controlCommands() {
        List<TestRecord<String, ControlCommand>> out = new ArrayList<>();
        while (!control.isEmpty()) {
            out.add(control.readRecord());
        }
        return out;
    }

    /** A key-value store of the topology (state as of the last commit: the driver commits after every record). */
    public KeyValueStore<String, byte[]> store(String name) {
        return driver.getKeyValueStore(name);
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        List<TestRecord<byte[], byte[]>> out = new ArrayList<>();
        while (!dlq.isEmpty()) {
            out.add(dlq.readRecord());
        }
        return out;
    }

    public static List<Alert> of(List<Alert> alerts, String alertname, AlertStatus status) {
        return alerts.stream().filter(a -> a.getAlertname().equals(alertname) && a.getStatus() == status).toList();
    }

    public void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    @Override
    public void close() {
        driver.close();
        if (keepStateDir) {
            return;
        }
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temp dir
        }
    }
}
