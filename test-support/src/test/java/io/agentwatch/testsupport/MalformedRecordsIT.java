package io.agentwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.schema.serde.IncompatibleWriterSchemaException;
import io.agentwatch.schema.serde.MalformedPayloadException;
import io.agentwatch.schema.serde.TruncatedPayloadException;
import io.agentwatch.schema.serde.UnknownMagicByteException;
import io.agentwatch.schema.serde.UnknownSchemaIdException;
import io.agentwatch.schema.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison pills on a real topic: a consumer whose value deserializer is the wire-format deserializer gets, for each
 * kind of bad payload, the typed error a dead-letter handler keys on, and carries on with the good records after.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MalformedRecordsIT {

    @Test
    void shouldRaiseTheTypedErrorForEachKindOfMalformedPayload(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("poison");
        stack.createTopic(topic, 1);
        AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(stack.registryClient(), false, true);
        byte[] valid = serializer.serialize(topic, TestEvents.typical(1));
        Schema incompatible = AgentEventSchemas.incompatibleWriter();
        int incompatibleId = stack.registryClient().register(stack.uniqueName("incompatible") + "-value", incompatible);
        GenericData.Record incompatibleRecord = new GenericData.Record(incompatible);
        incompatibleRecord.put("event_id", 42L);

        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("good-first", valid);
        payloads.put("bad-magic", "{\"event_id\":\"json, not wire format\"}".getBytes(StandardCharsets.UTF_8));
        payloads.put("unknown-id", withSchemaId(valid, 0x7ffffff0));
        payloads.put("truncated-header", Arrays.copyOf(valid, 3));
        payloads.put("truncated-body", Arrays.copyOf(valid, WireFormat.HEADER_SIZE + 10));
        payloads.put("trailing-garbage", concat(valid, new byte[] {1, 2, 3}));
        payloads.put("incompatible", WireBytes.frame(incompatibleId, incompatible, incompatibleRecord));
        payloads.put("good-last", serializer.serialize(topic, TestEvents.typical(2)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(stack.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> payload : payloads.entrySet()) {
                producer.send(new ProducerRecord<>(topic, payload.getKey(), payload.getValue())).get(30, TimeUnit.SECONDS);
            }
        }

        Map<Long, Object> outcomes = consumeSkippingPoisonPills(stack, topic, payloads.size());

        assertThat(outcomes.get(0L)).isEqualTo(TestEvents.typical(1));
        assertThat(outcomes.get(1L)).isInstanceOf(UnknownMagicByteException.class);
        assertThat(outcomes.get(2L)).isInstanceOf(UnknownSchemaIdException.class);
        assertThat(outcomes.get(3L)).isInstanceOf(TruncatedPayloadException.class);
        assertThat(outcomes.get(4L)).isInstanceOf(TruncatedPayloadException.class);
        assertThat(outcomes.get(5L)).isInstanceOf(MalformedPayloadException.class);
        assertThat(outcomes.get(6L)).isInstanceOf(IncompatibleWriterSchemaException.class);
        assertThat(outcomes.get(7L)).isEqualTo(TestEvents.typical(2));
    }

    /** Polls like an application with a log-and-skip policy: on a bad record, note its error and seek past it. */
    private static Map<Long, Object> consumeSkippingPoisonPills(KafkaStack stack, String topic, int expected) {
        Map<String, Object> props = stack.consumerProps(stack.uniqueName("reader"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroWireDeserializer.class.getName());
        props.put(AvroWireDeserializer.VALUE_TYPE, AgentEvent.class.getName());
        Map<Long, Object> outcomes = new TreeMap<>();
        try (KafkaConsumer<String, AgentEvent> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Await.atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                try {
                    for (ConsumerRecord<String, AgentEvent> record : consumer.poll(Duration.ofMillis(100))) {
                        outcomes.put(record.offset(), record.value());
                    }
                } catch (RecordDeserializationException e) {
                    outcomes.put(e.offset(), e.getCause());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                return outcomes.size() >= expected;
            });
        }
        return outcomes;
    }

    private static byte[] withSchemaId(byte[] wire, int schemaId) {
        byte[] copy = wire.clone();
        WireFormat.writeHeader(copy, schemaId);
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
