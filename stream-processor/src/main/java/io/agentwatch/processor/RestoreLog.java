package io.agentwatch.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each state restoration from a changelog (after a crash, a rebalance, or a move of a task): which store and
 * partition, how many records and how long. One line when it starts, one when it ends, none per batch. This is
 * what an operator reads to see why an instance is not yet RUNNING, and what the reliability tests measure to show
 * that standby replicas shorten recovery.
 */
final class RestoreLog implements StateRestoreListener {
    private static final Logger log = LoggerFactory.getLogger(RestoreLog.class);

    private final Map<TopicPartition, Long> started = new ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        started.put(partition, System.nanoTime());
        log.info("restoring {} from {} (offsets {} to {})", store, partition, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        // per batch: too chatty to log
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Long t0 = started.remove(partition);
        long ms = t0 == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        log.info("restored {} from {}: {} records in {} ms", store, partition, totalRestored, ms);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        started.remove(partition);
        log.info("restoration of {} from {} suspended after {} records (the task moved)", store, partition, totalRestored);
    }
}
