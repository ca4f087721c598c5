package io.agentwatch.sink.delivery;

import io.agentwatch.schema.Alert;
import java.util.Map;

/**
 * One alert record as the sink carries it from the consumer to the receivers: the decoded alert, its label set,
 * the original key and value bytes (what the dead-letter topic gets) and where it came from.
 *
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param key       original key bytes (the fingerprint)
 * @param value     original value bytes (Confluent wire format)
 * @param alert     the decoded alert
 * @param labels    {@link io.agentwatch.sink.routing.AlertLabels#of} of the alert
 * @param readNanos {@link System#nanoTime()} when the consumer read it, for the delivery latency
 * @param owner     told when a receiver is done with it; says whether its partition is still ours
 */
public record Envelope(
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        Alert alert,
        Map<String, String> labels,
        long readNanos,
        Owner owner) {

    public String fingerprint() {
        return alert.getFingerprint();
    }

    /** Where completions go: the offset tracker of the record's partition. */
    public interface Owner {
        /** The receiver has accepted the alert, suppressed it or dead-lettered it. */
        void done(long offset, String receiver);

        /** False once the partition was revoked from this consumer: its records will be delivered by the new owner. */
        boolean active();
    }
}
