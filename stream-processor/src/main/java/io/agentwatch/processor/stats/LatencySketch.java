package io.agentwatch.processor.stats;

import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.util.Arrays;

/**
 * A DDSketch (Masson, Rim, Lee, VLDB 2019) of latencies in whole milliseconds, with 1% relative accuracy: any
 * quantile it returns is within 1% of the true value of the sample at that rank. Values fall into logarithmic
 * bins {@code (gamma^(i-1), gamma^i]} with {@code gamma = 1.01 / 0.99}; counts are kept densely between the lowest
 * and highest bin used. Merging and subtracting are exact (bin-wise count addition), which is what lets a window
 * aggregate add a pane when it opens and subtract it when it falls out.
 *
 * <p>Hand-written rather than taken from com.datadoghq:sketches-java so that an update is one table lookup and one
 * array increment (no logarithm below 65,536 ms, no allocation), counts are ints, and the state layout is a few
 * varints; a unit test checks its quantiles against that library's and against exact ones.
 */
public final class LatencySketch {
    public static final double RELATIVE_ACCURACY = 0.01;
    static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int MAX_INDEX = (int) Math.ceil(Math.log(Long.MAX_VALUE) / LOG_GAMMA);
    private static final int TABLE_SIZE = 1 << 16;
    private static final short[] INDEX_TABLE = new short[TABLE_SIZE];
    private static final double[] VALUES = new double[MAX_INDEX + 1];

    static {
        for (int ms = 1; ms < TABLE_SIZE; ms++) {
            INDEX_TABLE[ms] = (short) computeIndex(ms);
        }
        for (int i = 0; i <= MAX_INDEX; i++) {
            VALUES[i] = 2 * Math.pow(GAMMA, i) / (GAMMA + 1);
        }
    }

    private long zeroCount;
    private long count;
    private int offset;
    private int[] counts;

    /** The bin of a latency: -1 for zero, else {@code ceil(log_gamma(ms))}. */
    public static int indexOf(long ms) {
        if (ms <= 0) {
            return -1;
        }
        if (ms < TABLE_SIZE) {
            return INDEX_TABLE[(int) ms];
        }
        return computeIndex(ms);
    }

    private static int computeIndex(double value) {
        int i = (int) Math.ceil(Math.log(value) / LOG_GAMMA);
        // guard against floating-point error at bin edges: value must lie in (gamma^(i-1), gamma^i]
        if (Math.pow(GAMMA, i) < value) {
            i++;
        } else if (i > 0 && Math.pow(GAMMA, i - 1) >= value) {
            i--;
        }
        return Math.min(Math.max(i, 0), MAX_INDEX);
    }

    public void add(long ms) {
        addIndex(indexOf(ms), 1);
    }

    /** Adds {@code n} values of the bin {@code index} (from {@link #indexOf}). */
    public void addIndex(int index, int n) {
        count += n;
        if (index < 0) {
            zeroCount += n;
            return;
        }
        ensure(index, index);
        counts[index - offset] += n;
    }

    private void ensure(int lo, int hi) {
        if (counts == null) {
            // room for a typical spread of latencies around the first one (x0.5 .. x4), so a pane rarely grows
            int below = 35;
            offset = Math.max(0, lo - below);
            counts = new int[Math.max(hi - offset + 1, below + 70)];
            return;
        }
        int curHi = offset + counts.length - 1;
        if (lo >= offset && hi <= curHi) {
            return;
        }
        int newLo = Math.min(lo, offset);
        int newHi = Math.max(hi, curHi);
        // grow with slack on the side that grew, so a drifting range does not copy on every new bin
        int slack = Math.max(8, (newHi - newLo + 1) / 4);
        if (newLo < offset) {
            newLo = Math.max(0, newLo - slack);
        }
        if (newHi > curHi) {
            newHi = Math.min(MAX_INDEX, newHi + slack);
        }
        int[] grown = new int[newHi - newLo + 1];
        System.arraycopy(counts, 0, grown, offset - newLo, counts.length);
        counts = grown;
        offset = newLo;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Adds every value of {@code other}. */
    public void merge(LatencySketch other) {
        if (other.count == 0) {
            return;
        }
        count += other.count;
        zeroCount += other.zeroCount;
        if (other.counts == null) {
            return;
        }
        int lo = other.firstNonZero();
        if (lo < 0) {
            return;
        }
        int hi = other.lastNonZero();
        ensure(other.offset + lo, other.offset + hi);
        for (int i = lo; i <= hi; i++) {
            counts[other.offset + i - offset] += other.counts[i];
        }
    }

    /** Removes every value of {@code other}, which must have been merged in before. */
    public void subtract(LatencySketch other) {
        if (other.count == 0) {
            return;
        }
        if (other.count > count || other.zeroCount > zeroCount) {
            throw new IllegalStateException("subtracting a sketch that was never added");
        }
        count -= other.count;
        zeroCount -= other.zeroCount;
        if (other.counts == null) {
            return;
        }
        int lo = other.firstNonZero();
        if (lo < 0) {
            return;
        }
        int hi = other.lastNonZero();
        for (int i = lo; i <= hi; i++) {
            int target = other.offset + i - offset;
            if (target < 0 || target >= counts.length || counts[target] < other.counts[i]) {
                throw new IllegalStateException("subtracting a sketch that was never added");
            }
            counts[target] -= other.counts[i];
        }
    }

    public void clear() {
        count = 0;
        zeroCount = 0;
        if (counts != null) {
            Arrays.fill(counts, 0);
        }
    }

    /**
     * The value at quantile {@code q} (0..1), within 1% of the true value of the sample at rank
     * {@code q * (count - 1)}; NaN when empty.
     */
    public double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        double rank = q * (count - 1);
        long cumulative = zeroCount;
        if (cumulative > rank) {
            return 0;
        }
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (cumulative > rank) {
                return VALUES[offset + i];
            }
        }
        return VALUES[offset + lastNonZero()];
    }

    private int firstNonZero() {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private int lastNonZero() {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Compact layout: zero count, then the used bin range and its counts, as varints. */
    public void encode(ByteSink out) {
        out.varLong(zeroCount);
        int lo = counts == null ? -1 : firstNonZero();
        if (lo < 0) {
            out.varLong(-1);
            return;
        }
        int hi = lastNonZero();
        out.varLong(offset + lo);
        out.varLong(hi - lo + 1);
        for (int i = lo; i <= hi; i++) {
            out.varLong(counts[i]);
        }
    }

    public static LatencySketch decode(ByteReader in) {
        LatencySketch s = new LatencySketch();
        s.zeroCount = in.varLong();
        s.count = s.zeroCount;
        int lo = in.varInt();
        if (lo < 0) {
            return s;
        }
        int n = in.varInt();
        if (lo > MAX_INDEX || n <= 0 || n > MAX_INDEX + 1) {
            throw new IllegalStateException("latency sketch bins out of range");
        }
        s.offset = lo;
        s.counts = new int[n];
        for (int i = 0; i < n; i++) {
            s.counts[i] = in.varInt();
            s.count += s.counts[i];
        }
        return s;
    }

    public LatencySketch copy() {
        LatencySketch c = new LatencySketch();
        c.zeroCount = zeroCount;
        c.count = count;
        c.offset = offset;
        c.counts = counts == null ? null : counts.clone();
        return c;
    }
}
