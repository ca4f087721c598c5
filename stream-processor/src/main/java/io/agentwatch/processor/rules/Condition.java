package io.agentwatch.processor.rules;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A compiled rule condition: a tree of small nodes evaluated against {@link Bindings} without allocation.
 * Besides the truth value it exposes the parts an alert reports: the value and threshold of its primary
 * comparison (the one that uses the rule's {@code threshold} parameter, or else the last one, since guards such as
 * {@code runs >= 10} come first; for {@code error_rate_10m > threshold}: the error rate and 0.05) and the first
 * baseline it reads.
 */
public final class Condition {
    private final String text;
    private final Node root;
    private final Node value;
    private final Node threshold;
    private final BaselineMetric baseline;
    private final Set<Integer> windows;
    private final Set<WindowMetric> metrics;
    private final Set<BaselineMetric> baselines;
    private final Set<EventVariable> eventVariables;

    Condition(String text, Node root, Node value, Node threshold, BaselineMetric baseline,
              Set<Integer> windows, Set<WindowMetric> metrics, Set<BaselineMetric> baselines, Set<EventVariable> eventVariables) {
        this.text = text;
        this.root = root;
        this.value = value;
        this.threshold = threshold;
        this.baseline = baseline;
        this.windows = Collections.unmodifiableSet(new LinkedHashSet<>(windows));
        this.metrics = Collections.unmodifiableSet(new LinkedHashSet<>(metrics));
        this.baselines = Collections.unmodifiableSet(new LinkedHashSet<>(baselines));
        this.eventVariables = Collections.unmodifiableSet(new LinkedHashSet<>(eventVariables));
    }

    public boolean test(Bindings b) {
        return root.eval(b) != 0;
    }

    /** The left side of the primary comparison, e.g. the measured error rate; NaN if there is none. */
    public double value(Bindings b) {
        return value == null ? Double.NaN : value.eval(b);
    }

    /** The right side of the primary comparison, e.g. 0.05 or 1.5 x the baseline; NaN if there is none. */
    public double threshold(Bindings b) {
        return threshold == null ? Double.NaN : threshold.eval(b);
    }

    /** The first baseline the condition reads, or NaN. */
    public double baseline(Bindings b) {
        return baseline == null ? Double.NaN : b.baseline(baseline);
    }

    public String text() {
        return text;
    }

    /** Window lengths in minutes the condition reads. */
    public Set<Integer> windows() {
        return windows;
    }

    public Set<WindowMetric> metrics() {
        return metrics;
    }

    public Set<BaselineMetric> baselines() {
        return baselines;
    }

    public Set<EventVariable> eventVariables() {
        return eventVariables;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One node of the compiled tree. Booleans are 1 and 0; a comparison with NaN is 0. */
    interface Node {
        double eval(Bindings b);
    }
}
