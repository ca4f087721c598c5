package io.agentwatch.reliability.io;

/**
 * One record as it goes onto the events topic: its partition (chosen as Kafka's default partitioner would for the
 * key), key and value bytes, and, for a poison pill, the dead-letter reason the processor must give it (null for a
 * valid event).
 */
record RawRecord(int partition, byte[] key, byte[] value, String pillKind, String expectedReason) {
    boolean isPill() {
        return pillKind != null;
    }
}
