package io.agentwatch.stack.backtest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The records of an events topic between two times, read without a consumer group (nothing is committed: the
 * cluster's state is untouched) and merged across partitions by timestamp, each partition in its own order, as a
 * Kafka Streams task chooses its next record. Streams: memory holds one fetch per partition, not the topic.
 */
public final class TopicEvents implements Iterator<RawEvent>, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> endOffsets;
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
    private final Map<TopicPartition, Boolean> finished = new HashMap<>();
    private final long toMs;
    private final PriorityQueue<TopicPartition> heads;
    private long read;

    /**
     * @param props   consumer properties (bootstrap servers, security); group and offsets are managed here
     * @param fromMs  first event time to read (the partitions' offsets for that time), or 0 for the beginning
     * @param toMs    last event time to read (exclusive), or Long.MAX_VALUE for the end as of now
     */
    public TopicEvents(Map<String, Object> props, String topic, long fromMs, long toMs) {
        Map<String, Object> p = new HashMap<>(props);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "agentwatch-backtest");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.toMs = toMs;
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        consumer.assign(partitions);
        this.endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        if (fromMs > 0) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, fromMs));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp o = offsets.get(tp);
                consumer.seek(tp, o == null ? endOffsets.get(tp) : o.offset());
            }
        } else {
            consumer.seekToBeginning(partitions);
        }
        for (TopicPartition tp : partitions) {
            buffers.put(tp, new ArrayDeque<>());
            finished.put(tp, consumer.position(tp, Duration.ofSeconds(30)) >= endOffsets.get(tp));
        }
        this.heads = new PriorityQueue<>((a, b) -> Long.compare(buffers.get(a).peekFirst().timestamp(), buffers.get(b).peekFirst().timestamp()));
        fill();
    }

    /** Polls until every unfinished partition has a record buffered, then rebuilds the merge heap. */
    private void fill() {
        while (true) {
            boolean waiting = false;
            for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : buffers.entrySet()) {
                if (e.getValue().isEmpty() && !finished.get(e.getKey())) {
                    waiting = true;
                }
            }
            if (!waiting) {
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= endOffsets.get(tp) || r.timestamp() >= toMs) {
                    finished.put(tp, true);
                    continue;
                }
                if (!finished.get(tp)) {
                    buffers.get(tp).addLast(r);
                }
            }
            for (TopicPartition tp : buffers.keySet()) {
                if (!finished.get(tp) && consumer.position(tp) >= endOffsets.get(tp)) {
                    finished.put(tp, true);
                }
            }
        }
        heads.clear();
        for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : buffers.entrySet()) {
            if (!e.getValue().isEmpty()) {
                heads.add(e.getKey());
            }
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public RawEvent next() {
        TopicPartition tp = heads.poll();
        if (tp == null) {
            throw new NoSuchElementException();
        }
        ConsumerRecord<byte[], byte[]> r = buffers.get(tp).pollFirst();
        read++;
        if (buffers.get(tp).isEmpty() && !finished.get(tp)) {
            fill();
        } else if (!buffers.get(tp).isEmpty()) {
            heads.add(tp);
        }
        return new RawEvent(r.key(), r.value(), r.timestamp());
    }

    public long read() {
        return read;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
