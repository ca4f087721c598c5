package io.agentwatch.stack.backtest;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.topology.AgentwatchTopology;
import io.agentwatch.processor.topology.Topic;
import io.agentwatch.processor.topology.Topics;
import io.agentwatch.processor.topology.TopologySettings;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays recorded events through the processor's own topology ({@link AgentwatchTopology#build}, the same
 * function the live processor runs) offline, in a {@link TopologyTestDriver}: no cluster state is read or written
 * besides the events themselves, and a rules file can be tried on last week's traffic before it is deployed.
 *
 * <p>Time: event time drives everything, as live; the test driver's wall clock is moved to each event's time, so
 * the detectors that watch the wall clock (silence) see what a caught-up live processor would. Per agent the
 * result is the live processor's (each agent is evaluated at points of its own event time); see the module README
 * for the small differences that remain (the moment an idle agent's alert resolves).
 */
public final class Backtest {
    /** What a replay produced. */
    public record Result(long events, List<Alert> alerts, long deadLetters) {
    }

    private Backtest() {
    }

    /**
     * @param decodeRegistry the registry the recorded bytes' schema ids belong to (the live one for a topic; the
     *                       in-process one that serialized a file's events)
     */
    public static Result run(RuleSet rules, Iterator<RawEvent> events, SchemaRegistryClient decodeRegistry) throws IOException {
        InMemorySchemaRegistryClient outputRegistry = new InMemorySchemaRegistryClient();
        Topics topics = new Topics(
                new Topic<>("agent.events", Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>("agent.alerts", Serdes.String(), AvroWireSerde.forValues(outputRegistry, Alert.class)),
                new Topic<>("agent.events.dlq", Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>("agent.rules", Serdes.String(), AvroWireSerde.forValues(outputRegistry, AlertRule.class)),
                new Topic<>("agent.control", Serdes.String(), AvroWireSerde.forValues(outputRegistry, ControlCommand.class)),
                AvroWireSerde.forValues(outputRegistry, AgentEvent.class),
                new AvroWireDeserializer<>(decodeRegistry, AgentEvent.class));
        TopologySettings settings = AgentwatchTopology.defaultSettings(rules, 1)
                .withStores(TopologySettings.StoreKind.IN_MEMORY);
        Path stateDir = Files.createTempDirectory("agentwatch-backtest");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "agentwatch-backtest");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        List<Alert> alerts = new ArrayList<>();
        long count = 0;
        long deadLetters = 0;
        RawEvent first = events.hasNext() ? events.next() : null;
        if (first == null) {
            return new Result(0, List.of(), 0);
        }
        try (TopologyTestDriver driver = new TopologyTestDriver(
                AgentwatchTopology.build(topics, rules, settings, ProcessorMetrics.noop()), props, Instant.ofEpochMilli(first.timestamp()))) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic("agent.events", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, Alert> output = driver.createOutputTopic("agent.alerts", Serdes.String().deserializer(),
                    topics.alerts().valueSerde().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("agent.events.dlq", Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            long clock = first.timestamp();
            RawEvent next = first;
            while (next != null) {
                if (next.timestamp() > clock) {
                    driver.advanceWallClockTime(Duration.ofMillis(next.timestamp() - clock));
                    clock = next.timestamp();
                }
                input.pipeInput(next.key(), next.value(), next.timestamp());
                count++;
                while (!output.isEmpty()) {
                    alerts.add(output.readValue());
                }
                deadLetters += dlq.getQueueSize();
                dlq.readRecordsToList();
                next = events.hasNext() ? events.next() : null;
            }
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return new Result(count, alerts, deadLetters);
    }
}
