package io.agentwatch.sink.state;

import io.agentwatch.schema.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the alert topic (no consumer group, nothing committed) into {@link ActiveAlerts},
 * starting at most {@code rebuildRecords} records before the end of each partition. It is what the page shows, and
 * what inhibition consults, whichever partitions this sink instance delivers: a cascade's root alert may sit on a
 * partition another instance owns. Ready once it has read up to the end offsets it saw at start.
 */
public final class AlertView implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertView.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<Alert> deserializer;
    private final String topic;
    private final ActiveAlerts alerts;
    private final long rebuildRecords;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean caughtUp;
    private Map<TopicPartition, Long> startEnd = Map.of();

    public AlertView(Consumer<byte[], byte[]> consumer, Deserializer<Alert> deserializer, String topic, ActiveAlerts alerts, long rebuildRecords) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.topic = topic;
        this.alerts = alerts;
        this.rebuildRecords = rebuildRecords;
        this.thread = new Thread(this, "sink-alert-view");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void run() {
        try {
            assign();
            long lastRefresh = System.nanoTime();
            while (!closed.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    try {
                        Alert a = deserializer.deserialize(r.topic(), r.value());
                        if (a != null) {
                            alerts.apply(a);
                        }
                    } catch (RuntimeException e) {
                        log.debug("alert view skips record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
                if (!caughtUp) {
                    caughtUp = startEnd.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                }
                if (System.nanoTime() - lastRefresh > Duration.ofSeconds(30).toNanos()) {
                    lastRefresh = System.nanoTime();
                    if (partitions().size() != consumer.assignment().size()) {
                        assign();
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("alert view stopped: the page and inhibition no longer see new alerts", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> out = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos != null) {
            infos.forEach(p -> out.add(new TopicPartition(topic, p.partition())));
        }
        return out;
    }

    private void assign() {
        List<TopicPartition> parts = partitions();
        consumer.assign(parts);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (TopicPartition tp : parts) {
            if (!startEnd.containsKey(tp)) {
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - rebuildRecords));
            }
            ends.put(tp, end.get(tp));
        }
        if (startEnd.isEmpty()) {
            startEnd = ends;
        }
        log.info("alert view reads {} partition(s) of {}", parts.size(), topic);
    }

    @Override
    public void close() {
        closed.set(true);
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
