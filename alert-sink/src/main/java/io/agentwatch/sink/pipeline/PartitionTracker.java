package io.agentwatch.sink.pipeline;

import io.agentwatch.sink.delivery.Envelope;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of one partition that are read but not yet done: for each, which receivers still owe a delivery (in
 * a lane, retrying, in a group buffer, a digest or the inhibition hold). The offset to commit is the lowest one
 * still owed, or the next one to read when nothing is; its metadata ({@link ReplayMarks}) lets a restart skip
 * receivers that had already finished. Completions come from the delivery threads; everything is synchronized.
 */
public final class PartitionTracker implements Envelope.Owner {
    private final TopicPartition partition;
    private final ReplayMarks replay;
    private final TreeMap<Long, Map<String, Integer>> owed = new TreeMap<>();
    private long next = -1;
    private volatile boolean active = true;
    private long lastCommitted = -1;
    private String lastMetadata = "";

    public PartitionTracker(TopicPartition partition, ReplayMarks replay) {
        this.partition = partition;
        this.replay = replay;
    }

    public TopicPartition partition() {
        return partition;
    }

    /** Whether the receiver is owed the record (false when a run before the restart had already delivered it). */
    public boolean owed(long offset, String receiver) {
        return replay.owed(offset, receiver);
    }

    /** Records that the receiver owes the record a delivery (call before {@link #read}). */
    public synchronized void owe(long offset, String receiver) {
        owed.computeIfAbsent(offset, o -> new HashMap<>()).merge(receiver, 1, Integer::sum);
    }

    /** The record at this offset has been read and handed on. */
    public synchronized void read(long offset) {
        next = Math.max(next, offset + 1);
    }

    @Override
    public synchronized void done(long offset, String receiver) {
        Map<String, Integer> left = owed.get(offset);
        if (left == null) {
            return;
        }
        left.computeIfPresent(receiver, (r, n) -> n <= 1 ? null : n - 1);
        if (left.isEmpty()) {
            owed.remove(offset);
        }
    }

    @Override
    public boolean active() {
        return active;
    }

    public void revoke() {
        active = false;
    }

    public synchronized int inFlight() {
        return owed.size();
    }

    /** The offset and metadata to commit now, or null when nothing changed since the last commit. */
    public synchronized OffsetAndMetadata toCommit() {
        if (next < 0) {
            return null;
        }
        long offset = owed.isEmpty() ? next : Math.min(owed.firstKey(), next);
        Map<String, Long> marks = new HashMap<>();
        for (Map.Entry<Long, Map<String, Integer>> e : owed.entrySet()) {
            for (String r : e.getValue().keySet()) {
                marks.merge(r, e.getKey(), Math::min);
            }
        }
        long hi = next;
        if (replay.hi() > next) {
            // still replaying what a previous run had read: keep its marks for the part not read again yet
            hi = replay.hi();
            for (Map.Entry<String, Long> m : replay.marks().entrySet()) {
                marks.merge(m.getKey(), Math.max(m.getValue(), next), Math::min);
            }
        }
        String metadata = new ReplayMarks(hi, marks).encode();
        if (offset == lastCommitted && metadata.equals(lastMetadata)) {
            return null;
        }
        return new OffsetAndMetadata(offset, metadata);
    }

    public synchronized void committed(OffsetAndMetadata c) {
        lastCommitted = c.offset();
        lastMetadata = c.metadata();
    }
}
