package io.agentwatch.processor.detect;

import java.util.Arrays;

/**
 * How far every upstream task of the cascade detector has got in event time, from their progress markers, and the
 * low watermark: the least of them, {@link Long#MIN_VALUE} until every upstream task has reported once. The spans
 * of a trace come from all upstream tasks, each at its own pace (one catching up after downtime lags the others by
 * minutes); a span from a task can only be older than that task's last marker by its own partition's disorder, so
 * below the low watermark no span is still on its way from a lagging task. Time-driven decisions (expiry, the wait
 * before firing, resolution) use it rather than the detector's stream time, which the fastest task drives.
 *
 * <p>Not persisted: after a restart every upstream task reports again within a tick, and until then nothing is
 * decided by time, which is the safe side.
 */
final class UpstreamWatermarks {
    private final long[] progress;
    private int reported;
    private long low = Long.MIN_VALUE;

    /** @param upstreamTasks the number of upstream tasks (partitions of the events topic) */
    UpstreamWatermarks(int upstreamTasks) {
        if (upstreamTasks < 1) {
            throw new IllegalArgumentException("upstreamTasks must be >= 1");
        }
        progress = new long[upstreamTasks];
        Arrays.fill(progress, Long.MIN_VALUE);
    }

    /**
     * Records a marker; false if the low watermark did not move. A marker from a partition outside the range (the
     * events topic has more partitions than the topology was built for) is ignored.
     */
    boolean advance(int upstream, long time) {
        if (upstream < 0 || upstream >= progress.length || time <= progress[upstream]) {
            return false;
        }
        if (progress[upstream] == Long.MIN_VALUE) {
            reported++;
        }
        progress[upstream] = time;
        if (reported < progress.length) {
            return false;
        }
        long min = Long.MAX_VALUE;
        for (long p : progress) {
            min = Math.min(min, p);
        }
        if (min <= low) {
            return false;
        }
        low = min;
        return true;
    }

    /** The low watermark: every upstream task has processed its events up to here; MIN_VALUE until all reported. */
    long low() {
        return low;
    }

    boolean known() {
        return low != Long.MIN_VALUE;
    }
}
