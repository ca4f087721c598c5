package io.agentwatch.sink.pipeline;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.registry.RegistryUnavailableException;
import io.agentwatch.sink.SinkMetrics;
import io.agentwatch.sink.delivery.Envelope;
import io.agentwatch.sink.routing.AlertLabels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery consumer: reads the alert topic in a consumer group (read_committed, no auto-commit), hands every
 * record to the {@link Dispatcher} in partition order, and commits for each partition the lowest offset some
 * receiver still owes (see {@link PartitionTracker} and {@link ReplayMarks}). A partition with too many alerts in
 * flight is paused until its receivers catch up. Records that cannot be decoded go to the dead-letter topic; a
 * schema registry outage is transient: the record is read again a second later.
 */
public final class AlertConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AlertConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<Alert> deserializer;
    private final String topic;
    private final Dispatcher dispatcher;
    private final DeadLetters deadLetters;
    private final Collection<ReceiverLane> lanes;
    private final SinkMetrics metrics;
    private final Duration commitInterval;
    private final int maxInFlight;
    private final Duration drainTimeout;
    private final Map<TopicPartition, PartitionTracker> trackers = new ConcurrentHashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Map<TopicPartition, Long> retryAt = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean assigned;
    private volatile long lag;

    public AlertConsumer(Consumer<byte[], byte[]> consumer, Deserializer<Alert> deserializer, String topic, Dispatcher dispatcher,
                         DeadLetters deadLetters, Collection<ReceiverLane> lanes, SinkMetrics metrics, Duration commitInterval,
                         int maxInFlight, Duration drainTimeout) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.topic = topic;
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.lanes = lanes;
        this.metrics = metrics;
        this.commitInterval = commitInterval;
        this.maxInFlight = maxInFlight;
        this.drainTimeout = drainTimeout;
    }

    /** Records behind the end of the assigned partitions, as of the last poll. */
    public long lag() {
        return lag;
    }

    /** True once the group gave this consumer its partitions (or confirmed it has none). */
    public boolean assigned() {
        return assigned;
    }

    public int inFlight() {
        int n = 0;
        for (PartitionTracker t : trackers.values()) {
            n += t.inFlight();
        }
        return n;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            long lastCommit = System.nanoTime();
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (TopicPartition tp : records.partitions()) {
                    handle(tp, records.records(tp));
                }
                flowControl();
                if (System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                    commit(trackers.keySet());
                    lastCommit = System.nanoTime();
                    updateLag();
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                log.error("alert consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("alert consumer stopped", e);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void handle(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        PartitionTracker tracker = trackers.get(tp);
        if (tracker == null) {
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Alert alert;
            try {
                alert = deserializer.deserialize(r.topic(), r.value());
            } catch (RegistryUnavailableException e) {
                log.warn("schema registry unavailable while decoding {}@{}: {}; trying again in 1 s", tp, r.offset(), e.getMessage());
                consumer.seek(tp, r.offset());
                consumer.pause(List.of(tp));
                retryAt.put(tp, System.nanoTime() + Duration.ofSeconds(1).toNanos());
                return;
            } catch (RuntimeException e) {
                undecodable(tracker, r, e);
                continue;
            }
            if (alert == null) {
                undecodable(tracker, r, new IllegalArgumentException("null value (tombstone)"));
                continue;
            }
            metrics.received(alert.getStatus().name().toLowerCase(java.util.Locale.ROOT));
            Envelope e = new Envelope(r.topic(), r.partition(), r.offset(), r.key(), r.value(), alert, AlertLabels.of(alert), System.nanoTime(), tracker);
            dispatcher.accept(e, tracker);
            tracker.read(r.offset());
        }
    }

    private void undecodable(PartitionTracker tracker, ConsumerRecord<byte[], byte[]> r, RuntimeException e) {
        String reason = e instanceof io.agentwatch.schema.serde.WireFormatException w ? w.reason() : "undecodable";
        log.warn("alert record {}-{}@{} cannot be decoded ({}): sending it to {}", r.topic(), r.partition(), r.offset(), e.getMessage(), deadLetters.topic());
        while (!closing) {
            try {
                deadLetters.write(r.topic(), r.partition(), r.offset(), r.key(), r.value(), "none", reason, String.valueOf(e.getMessage()), 0);
                metrics.undecodable(reason);
                tracker.read(r.offset());
                return;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ex) {
                log.error("cannot write dead letter to {}: {}; retrying in 1 s", deadLetters.topic(), ex.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void flowControl() {
        long now = System.nanoTime();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (PartitionTracker t : trackers.values()) {
            TopicPartition tp = t.partition();
            Long retry = retryAt.get(tp);
            boolean wantPaused = t.inFlight() >= maxInFlight || (retry != null && now < retry);
            if (retry != null && now >= retry) {
                retryAt.remove(tp);
            }
            if (wantPaused && paused.add(tp)) {
                pause.add(tp);
            } else if (!wantPaused && paused.remove(tp)) {
                resume.add(tp);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionTracker t = trackers.get(tp);
            OffsetAndMetadata c = t == null ? null : t.toCommit();
            if (c != null) {
                offsets.put(tp, c);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, c) -> trackers.get(tp).committed(c));
            log.debug("committed {}", offsets);
        } catch (RuntimeException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            log.warn("commit failed ({}); the offsets are committed again on the next interval", e.toString());
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            total += consumer.currentLag(tp).orElse(0L);
        }
        lag = total;
    }

    private void shutdown() {
        try {
            // what the lanes are sending now may still finish; buffered groups and digests stay uncommitted
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            for (ReceiverLane lane : lanes) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !lane.awaitIdle(Duration.ofNanos(left))) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            commit(trackers.keySet());
        } catch (RuntimeException e) {
            log.warn("final commit failed: {}", e.toString());
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("closing the consumer failed: {}", e.toString());
        }
    }

    /** Stops polling, lets the lanes finish what they are sending (up to the drain timeout), commits, closes. */
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(partitions);
            for (TopicPartition tp : partitions) {
                PartitionTracker t = trackers.remove(tp);
                if (t != null) {
                    t.revoke();
                }
                paused.remove(tp);
                retryAt.remove(tp);
            }
            dispatcher.dropInactive();
            log.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionTracker t = trackers.remove(tp);
                if (t != null) {
                    t.revoke();
                }
                paused.remove(tp);
                retryAt.remove(tp);
            }
            dispatcher.dropInactive();
            log.warn("partitions lost: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = partitions.isEmpty() ? Map.of()
                    : consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                ReplayMarks marks = c == null ? ReplayMarks.NONE : ReplayMarks.decode(c.metadata());
                trackers.put(tp, new PartitionTracker(tp, marks));
                if (marks != ReplayMarks.NONE) {
                    log.info("{}: resuming at offset {}; records below {} are delivered only to receivers that still owed them ({})",
                            tp, c.offset(), marks.hi(), marks.marks().isEmpty() ? "none" : marks.marks());
                }
            }
            assigned = true;
            log.info("partitions assigned: {}", partitions);
        }
    }
}
