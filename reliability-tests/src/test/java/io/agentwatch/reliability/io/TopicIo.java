package io.agentwatch.reliability.io;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.testsupport.KafkaStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writing raw records to a topic and reading a topic back to its end, as the scenarios need. */
final class TopicIo {
    private TopicIo() {
    }

    /** Writes the records in order (idempotent, acks=all) and returns the offset each got. */
    static long[] write(KafkaStack stack, String topic, List<RawRecord> records) throws Exception {
        Map<String, Object> props = stack.producerProps();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // room for the near-limit pills; the broker's own limit (message.max.bytes) still applies
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_100_000);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RawRecord r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value())));
            }
            producer.flush();
        }
        long[] offsets = new long[records.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = sent.get(i).get(60, TimeUnit.SECONDS).offset();
        }
        return offsets;
    }

    /** Every committed record of the topic up to its end now (read_committed, from the beginning). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaStack stack, String topic, Duration atMost) {
        Map<String, Object> props = stack.consumerProps(stack.uniqueName("reader"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + atMost.toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within " + atMost);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The alerts of a topic, decoded. */
    static List<Alert> alerts(KafkaStack stack, String topic) {
        AvroWireDeserializer<Alert> d = new AvroWireDeserializer<>(stack.registryClient(), Alert.class);
        return readAll(stack, topic, Duration.ofSeconds(60)).stream().map(r -> d.deserialize(topic, r.value())).toList();
    }
}
