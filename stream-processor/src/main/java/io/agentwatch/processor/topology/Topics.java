package io.agentwatch.processor.topology;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics the processor reads and writes, typed, plus the event serde of its own repartition topics.
 * The events topic is read as raw bytes: decoding is a step of the topology, so that a poison pill can be
 * dead-lettered with its reason instead of failing the consumer.
 */
public record Topics(
        Topic<byte[], byte[]> events,
        Topic<String, Alert> alerts,
        Topic<byte[], byte[]> eventsDeadLetter,
        Topic<String, AlertRule> rules,
        Topic<String, ControlCommand> control,
        Serde<AgentEvent> internalEvents,
        Deserializer<AgentEvent> eventDeserializer) {

    /** The topics by name, with wire-format serdes on the given registry. */
    public static Topics of(String events, String alerts, String eventsDeadLetter, String rules, String control, SchemaRegistryClient registry) {
        return new Topics(
                new Topic<>(events, Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(alerts, Serdes.String(), AvroWireSerde.forValues(registry, Alert.class)),
                new Topic<>(eventsDeadLetter, Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(rules, Serdes.String(), AvroWireSerde.forValues(registry, AlertRule.class)),
                new Topic<>(control, Serdes.String(), AvroWireSerde.forValues(registry, ControlCommand.class)),
                AvroWireSerde.forValues(registry, AgentEvent.class),
                new AvroWireDeserializer<>(registry, AgentEvent.class));
    }
}
