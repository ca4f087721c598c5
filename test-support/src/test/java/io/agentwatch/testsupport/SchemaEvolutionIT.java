package io.agentwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.schema.serde.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Producers on other releases of the contract share a topic with us: records written with an older AgentEvent
 * schema (without the trailing optional fields) and a newer one (an extra optional field, a Status symbol this
 * code does not know) are read into the current class, through the real registry and a real topic.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SchemaEvolutionIT {

    @Test
    void shouldReadEventsWrittenWithAnOlderAndANewerSchemaIntoTheCurrentClass(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("evolving");
        String subject = WireFormat.subject(topic, false);
        stack.createTopic(topic, 1);
        SchemaRegistryClient registry = stack.registryClient();
        registry.setCompatibility(subject, "BACKWARD");

        // given three releases registered in order under the subject: each is BACKWARD compatible with the previous
        Schema older = AgentEventSchemas.older();
        Schema newer = AgentEventSchemas.newer();
        int olderId = registry.register(subject, older);
        int currentId = registry.register(subject, AgentEvent.getClassSchema());
        int newerId = registry.register(subject, newer);
        assertThat(List.of(olderId, currentId, newerId)).doesNotHaveDuplicates();

        AgentEvent fromOlder = TestEvents.typical(1);
        AgentEvent fromCurrent = TestEvents.typical(2);
        AgentEvent fromNewer = TestEvents.typical(3);
        GenericData.Record newerRecord = GenericEvents.as(newer, fromNewer);
        newerRecord.put("status", new GenericData.EnumSymbol(newer.getField("status").schema(), AgentEventSchemas.NEW_STATUS_SYMBOL));
        newerRecord.put("region", "eu-west-1");

        // when a producer on each release writes to the topic
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(stack.producerProps(), new StringSerializer(), new ByteArraySerializer());
             AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(registry, false, false)) {
            raw.send(new ProducerRecord<>(topic, "older", WireBytes.frame(olderId, older, GenericEvents.as(older, fromOlder)))).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(topic, "current", serializer.serialize(topic, fromCurrent))).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(topic, "newer", WireBytes.frame(newerId, newer, newerRecord))).get(30, TimeUnit.SECONDS);
        }

        // then this code reads all three into its AgentEvent class
        Map<String, Object> props = stack.consumerProps(stack.uniqueName("reader"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroWireDeserializer.class.getName());
        props.put(AvroWireDeserializer.VALUE_TYPE, AgentEvent.class.getName());
        try (KafkaConsumer<String, AgentEvent> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, AgentEvent>> records = Await.records(consumer, 3, Duration.ofSeconds(60));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("older", "current", "newer");

            AgentEvent older1 = records.get(0).value();
            assertThat(older1).isEqualTo(AgentEvent.newBuilder(fromOlder)
                    .setConfidence(null).setOutcome(null).setApproval(null).setAttributes(Map.of()).build());
            assertThat(records.get(1).value()).isEqualTo(fromCurrent);
            AgentEvent newer1 = records.get(2).value();
            assertThat(newer1.getStatus()).as("a status symbol this release does not know").isEqualTo(Status.UNKNOWN);
            assertThat(newer1).isEqualTo(AgentEvent.newBuilder(fromNewer).setStatus(Status.UNKNOWN).build());
        }
    }
}
