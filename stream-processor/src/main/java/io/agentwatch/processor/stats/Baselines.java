package io.agentwatch.processor.stats;

import io.agentwatch.processor.rules.BaselineMetric;
import io.agentwatch.processor.rules.WindowMetric;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;

/**
 * What an agent normally looks like: per baseline metric, an exponentially weighted moving average of its
 * one-minute values, learned from sealed panes only, each pane at most once. It starts as the plain mean of the
 * samples so far (weight 1/n) and turns into the moving average once 1/n falls below the smoothing factor. A
 * baseline reads as NaN until it has seen {@code warmup} panes with enough data, so a rule that compares against it
 * cannot fire while it warms up.
 * The caller skips {@link #learn} while the agent has an alert pending or firing, so an incident does not teach the
 * baseline that it is normal.
 */
public final class Baselines {
    private static final BaselineMetric[] METRICS = BaselineMetric.values();
    /** Minimum data in a pane before it is a sample: latencies, events, requests, runs, confidences. */
    private static final int MIN_LATENCIES = 5;
    private static final int MIN_EVENTS = 5;

    private final double[] values = new double[METRICS.length];
    private final long[] samples = new long[METRICS.length];
    private long lastPaneStart = Long.MIN_VALUE;

    /** Learns from a sealed pane; a pane at or before the last one learned is ignored (replays are idempotent). */
    public boolean learn(long paneStart, Pane pane, double alpha) {
        if (paneStart <= lastPaneStart) {
            return false;
        }
        lastPaneStart = paneStart;
        for (int i = 0; i < METRICS.length; i++) {
            double x = sample(METRICS[i], pane);
            if (Double.isNaN(x)) {
                continue;
            }
            // the first samples are averaged (weight 1/n) until 1/n falls below alpha: a plain EWMA started at its
            // first sample keeps most of that one sample for a half-life, and a first pane is often a partial one
            samples[i]++;
            values[i] += Math.max(alpha, 1.0 / samples[i]) * (x - values[i]);
        }
        return true;
    }

    private static double sample(BaselineMetric metric, Pane pane) {
        return switch (metric) {
            case LATENCY_P95 -> pane.latency.count() >= MIN_LATENCIES ? pane.metric(WindowMetric.LATENCY_P95) : Double.NaN;
            case ERROR_RATE -> pane.events >= MIN_EVENTS ? pane.metric(WindowMetric.ERROR_RATE) : Double.NaN;
            default -> pane.metric(metric.source());
        };
    }

    /** The baseline, or NaN while fewer than {@code warmup} samples have been learned. */
    public double get(BaselineMetric metric, long warmup) {
        int i = metric.ordinal();
        return samples[i] >= Math.max(1, warmup) ? values[i] : Double.NaN;
    }

    public long samples(BaselineMetric metric) {
        return samples[metric.ordinal()];
    }

    /** The per-pane smoothing factor of a half-life given in panes. */
    public static double alpha(double halfLifePanes) {
        return 1 - Math.pow(0.5, 1 / halfLifePanes);
    }

    public void encode(ByteSink out) {
        out.varLong(lastPaneStart == Long.MIN_VALUE ? -1 : lastPaneStart);
        out.varLong(METRICS.length);
        for (int i = 0; i < METRICS.length; i++) {
            out.varLong(samples[i]);
            out.doubleValue(values[i]);
        }
    }

    public static Baselines decode(ByteReader in) {
        Baselines b = new Baselines();
        long last = in.varLong();
        b.lastPaneStart = last == -1 ? Long.MIN_VALUE : last;
        int n = in.varInt();
        for (int i = 0; i < n; i++) {
            long s = in.varLong();
            double v = in.doubleValue();
            if (i < METRICS.length) {
                b.samples[i] = s;
                b.values[i] = v;
            }
        }
        return b;
    }
}
