package io.agentwatch.simulator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.schema.serde.WireFormat;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.IncidentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Simulated events, incidents included, survive the project's wire-format serdes unchanged. */
class KafkaEventSinkWireFormatTest {

    @Test
    void shouldSendEventsThatDecodeBackToTheSameRecords() throws InterruptedException {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(registry, false, true);
        MockProducer<String, AgentEvent> producer = new MockProducer<>(true, null, new StringSerializer(), serializer);
        List<AgentEvent> generated = new ArrayList<>();
        FleetSimulator simulator = new FleetSimulator(SimulationConfig.of(5, 30, 200, Duration.ofMinutes(4), 1_767_225_600_000L)
                .withIncidents(IncidentSpec.parseList("cascade,tool_loop,run_token_overrun,release_regression")));
        simulator.forEach(generated::add);

        try (KafkaEventSink sink = new KafkaEventSink(producer, "agent.events", "mock")) {
            new FleetPublisher(sink, Pacer.asFastAsPossible(), Duration.ofSeconds(5), p -> { }, () -> 0L)
                    .publish(generated.iterator());
        }

        AvroWireDeserializer<AgentEvent> deserializer = new AvroWireDeserializer<>(registry, AgentEvent.class);
        List<AgentEvent> decoded = new ArrayList<>();
        for (ProducerRecord<String, AgentEvent> record : producer.history()) {
            byte[] bytes = serializer.serialize(record.topic(), record.value());
            assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
            decoded.add(deserializer.deserialize(record.topic(), bytes));
        }
        assertThat(decoded).hasSize(generated.size()).isEqualTo(generated);
        assertThat(registry.subjects()).containsExactly("agent.events-value");
    }
}
