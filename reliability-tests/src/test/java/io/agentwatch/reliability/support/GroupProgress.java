package io.agentwatch.reliability.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a processor application (its consumer group) has come through the input, read from the offsets it
 * committed: under exactly-once a committed offset is work whose state and alerts are committed too.
 */
public final class GroupProgress {
    private static final Logger log = LoggerFactory.getLogger(GroupProgress.class);

    private final Admin admin;
    private final String group;
    private final String inputTopic;
    private final int partitions;

    public GroupProgress(Admin admin, String group, String inputTopic, int partitions) {
        this.admin = admin;
        this.group = group;
        this.inputTopic = inputTopic;
        this.partitions = partitions;
    }

    /** Input records committed as processed. */
    public long committedInput() {
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed().entrySet()) {
            if (e.getKey().topic().equals(inputTopic) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /**
     * Records of every topic the group reads (input and repartition topics) not yet committed; a partition one
     * record behind its end counts as caught up (the end of a transactional topic is a commit marker). The
     * {@code events-by-trace} repartition topic is left out: every task sends its progress markers there on a
     * wall-clock tick even when idle, so it is never quite caught up; the quiet period of {@link #awaitDone} (no
     * further alert) covers the cascades.
     */
    public long totalLag() {
        Map<TopicPartition, OffsetAndMetadata> committed = committed();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(inputTopic, p), OffsetSpec.latest());
        }
        committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
                if (e.getKey().topic().endsWith("-events-by-trace-repartition")) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(e.getKey());
                long behind = e.getValue().offset() - (c == null ? 0 : c.offset());
                boolean transactional = !e.getKey().topic().equals(inputTopic);
                lag += transactional && behind <= 1 ? 0 : Math.max(0, behind);
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets for " + group + ": " + e, e);
        }
    }

    /**
     * Waits until everything is processed and committed, and stays so for {@code quiet} (no late repartition
     * records, no further alert); {@code alive} is checked on each poll and a false ends the wait with an error.
     */
    public Duration awaitDone(Duration timeout, Duration quiet, BooleanSupplier alive, String what) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long doneSince = 0;
        long lastReport = t0;
        while (true) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + ": no processor is running while " + totalLag() + " records are still to be processed");
            }
            long lag = totalLag();
            long now = System.nanoTime();
            if (lag == 0) {
                if (doneSince == 0) {
                    doneSince = now;
                }
                if (now - doneSince >= quiet.toNanos()) {
                    return Duration.ofNanos(doneSince - t0);
                }
            } else {
                doneSince = 0;
            }
            if (now - lastReport > 10_000_000_000L) {
                log.info("{}: {} records still to process", what, lag);
                lastReport = now;
            }
            if (now > deadline) {
                throw new IllegalStateException(what + ": still " + lag + " records behind after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** Waits until the committed input reaches {@code records}. */
    public void awaitCommittedInput(long records, Duration timeout, BooleanSupplier alive, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committedInput() < records) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + ": no processor is running at " + committedInput() + " of " + records + " committed input records");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": only " + committedInput() + " of " + records + " input records committed after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> clean = new HashMap<>();
            m.forEach((k, v) -> {
                if (v != null) {
                    clean.put(k, v);
                }
            });
            return clean;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group + ": " + e, e);
        }
    }
}
