package io.agentwatch.gateway.bench;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Checks that nothing acknowledged was lost: reads the topic between two sets of offsets and finds, for every
 * request the gateway answered 200, every one of its spans as an event (by the prefix in the trace id and the span
 * index in the span id). Also counts duplicates (a request retried after a 503 whose events had in fact landed).
 */
public final class TopicVerifier {
    private final Map<String, Object> consumerProps;
    private final SchemaRegistryClient registry;
    private final String topic;

    public TopicVerifier(Map<String, Object> consumerProps, SchemaRegistryClient registry, String topic) {
        this.consumerProps = new HashMap<>(consumerProps);
        this.consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.registry = registry;
        this.topic = topic;
    }

    /** The end offsets of every partition now: take them before the run, and verify from there. */
    public Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, AgentEvent> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            return consumer.endOffsets(partitions, Duration.ofSeconds(30));
        }
    }

    /**
     * @param from            offsets taken before the run
     * @param acknowledged    prefixes of the requests answered 200
     * @param spansPerRequest spans in each request
     */
    public Verdict verify(Map<TopicPartition, Long> from, Set<Long> acknowledged, int spansPerRequest) {
        Map<Long, BitSet> found = new HashMap<>();
        long records = 0;
        long duplicates = 0;
        long foreign = 0;
        try (KafkaConsumer<String, AgentEvent> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> to = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!reached(consumer, to) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, AgentEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= to.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    records++;
                    AgentEvent e = r.value();
                    int index = SpanTemplate.spanIndex(e.getSpanId());
                    if (e.getTraceId() == null || index < 0 || index >= spansPerRequest) {
                        foreign++;
                        continue;
                    }
                    long prefix = SpanTemplate.prefix(e.getTraceId());
                    BitSet bits = found.computeIfAbsent(prefix, p -> new BitSet(spansPerRequest));
                    if (bits.get(index)) {
                        duplicates++;
                    }
                    bits.set(index);
                }
            }
        }
        long expected = (long) acknowledged.size() * spansPerRequest;
        long missing = 0;
        for (long prefix : acknowledged) {
            BitSet bits = found.get(prefix);
            missing += spansPerRequest - (bits == null ? 0 : bits.cardinality());
        }
        long unacknowledgedButPublished = 0;
        for (Map.Entry<Long, BitSet> e : found.entrySet()) {
            if (!acknowledged.contains(e.getKey())) {
                unacknowledgedButPublished += e.getValue().cardinality();
            }
        }
        return new Verdict(expected, missing, records, duplicates, unacknowledgedButPublished, foreign);
    }

    private boolean reached(KafkaConsumer<String, AgentEvent> consumer, Map<TopicPartition, Long> to) {
        for (Map.Entry<TopicPartition, Long> e : to.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, AgentEvent> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        return partitions;
    }

    private KafkaConsumer<String, AgentEvent> consumer() {
        return new KafkaConsumer<>(consumerProps, new StringDeserializer(), new AvroWireDeserializer<>(registry, AgentEvent.class));
    }

    /**
     * @param acknowledgedSpans          spans of the requests answered 200
     * @param missing                    of those, spans with no event on the topic: must be 0
     * @param records                    records read between the offsets
     * @param duplicates                 records whose span was already seen (retries; same event_id)
     * @param publishedUnacknowledged    distinct spans on the topic from requests never answered 200 (a 503 after
     *                                   the events had in fact landed, or a request cut off at the end of the run)
     * @param foreign                    records that did not come from this benchmark
     */
    public record Verdict(long acknowledgedSpans, long missing, long records, long duplicates, long publishedUnacknowledged, long foreign) {
        public boolean nothingLost() {
            return missing == 0;
        }
    }
}
