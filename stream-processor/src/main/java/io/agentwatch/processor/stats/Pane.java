package io.agentwatch.processor.stats;

import io.agentwatch.processor.rules.WindowMetric;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;

/**
 * The statistics of one scope (an agent, or an agent and a segment) over a span of event time: one minute for a
 * pane, several for a window aggregate (the sum of its panes). Counters and a latency sketch; merge and subtract
 * are exact, which is what makes sliding windows cost one addition per event and one subtraction per pane.
 */
public final class Pane {
    long events;
    long errors;
    long timeouts;
    long requests;
    long inputTokens;
    long outputTokens;
    double cost;
    long runs;
    long succeeded;
    long failed;
    long escalated;
    long manualRescue;
    long runsWithTokens;
    long runTokens;
    long confidenceCount;
    double confidenceSum;
    final LatencySketch latency;

    public Pane() {
        this(new LatencySketch());
    }

    private Pane(LatencySketch latency) {
        this.latency = latency;
    }

    public void add(Contribution c) {
        events++;
        if (c.error) {
            errors++;
        }
        if (c.timeout) {
            timeouts++;
        }
        if (c.request) {
            requests++;
            inputTokens += c.inputTokens;
            outputTokens += c.outputTokens;
        }
        cost += c.cost;
        if (c.hasLatency) {
            latency.addIndex(c.latencyIndex, 1);
        }
        if (c.outcome != null) {
            runs++;
            switch (c.outcome) {
                case SUCCEEDED -> succeeded++;
                case FAILED, ABANDONED -> failed++;
                case ESCALATED -> escalated++;
                case MANUAL_RESCUE -> manualRescue++;
                default -> {
                    // UNKNOWN: a finished run that counts in no outcome rate
                }
            }
            if (c.runHasTokens) {
                runsWithTokens++;
                runTokens += c.runTokens;
            }
        }
        if (c.hasConfidence) {
            confidenceCount++;
            confidenceSum += c.confidence;
        }
    }

    public void merge(Pane o) {
        combine(o, 1);
        latency.merge(o.latency);
    }

    public void subtract(Pane o) {
        combine(o, -1);
        latency.subtract(o.latency);
        if (events == 0) {
            // no floating-point residue in an empty aggregate
            cost = 0;
            confidenceSum = 0;
        }
    }

    private void combine(Pane o, int sign) {
        events += sign * o.events;
        errors += sign * o.errors;
        timeouts += sign * o.timeouts;
        requests += sign * o.requests;
        inputTokens += sign * o.inputTokens;
        outputTokens += sign * o.outputTokens;
        cost += sign * o.cost;
        runs += sign * o.runs;
        succeeded += sign * o.succeeded;
        failed += sign * o.failed;
        escalated += sign * o.escalated;
        manualRescue += sign * o.manualRescue;
        runsWithTokens += sign * o.runsWithTokens;
        runTokens += sign * o.runTokens;
        confidenceCount += sign * o.confidenceCount;
        confidenceSum += sign * o.confidenceSum;
    }

    public void clear() {
        events = errors = timeouts = requests = inputTokens = outputTokens = 0;
        runs = succeeded = failed = escalated = manualRescue = runsWithTokens = runTokens = confidenceCount = 0;
        cost = 0;
        confidenceSum = 0;
        latency.clear();
    }

    public long events() {
        return events;
    }

    public long errors() {
        return errors;
    }

    public boolean isEmpty() {
        return events == 0;
    }

    /** The value of a window metric over this pane or aggregate; NaN when undefined (a ratio over nothing). */
    public double metric(WindowMetric m) {
        return switch (m) {
            case EVENTS -> events;
            case ERRORS -> errors;
            case ERROR_RATE -> ratio(errors, events);
            case TIMEOUTS -> timeouts;
            case TIMEOUT_RATE -> ratio(timeouts, events);
            case LATENCY_P50 -> latency.quantile(0.50);
            case LATENCY_P90 -> latency.quantile(0.90);
            case LATENCY_P95 -> latency.quantile(0.95);
            case LATENCY_P99 -> latency.quantile(0.99);
            case LATENCY_MAX -> latency.quantile(1.0);
            case REQUESTS -> requests;
            case TOKENS -> inputTokens + outputTokens;
            case INPUT_TOKENS -> inputTokens;
            case OUTPUT_TOKENS -> outputTokens;
            case TOKENS_PER_REQUEST -> ratio(inputTokens + outputTokens, requests);
            case COST -> cost;
            case RUNS -> runs;
            case SUCCESS_RATE -> ratio(succeeded, runs);
            case FAILURE_RATE -> ratio(failed, runs);
            case ESCALATION_RATE -> ratio(escalated, runs);
            case MANUAL_RESCUE_RATE -> ratio(manualRescue, runs);
            case TOKENS_PER_RUN -> ratio(runTokens, runsWithTokens);
            case CONFIDENCE -> confidenceCount == 0 ? Double.NaN : confidenceSum / confidenceCount;
        };
    }

    private static double ratio(double num, double den) {
        return den == 0 ? Double.NaN : num / den;
    }

    public Pane copy() {
        Pane p = new Pane(latency.copy());
        p.combine(this, 1);
        return p;
    }

    public void encode(ByteSink out) {
        out.varLong(events);
        out.varLong(errors);
        out.varLong(timeouts);
        out.varLong(requests);
        out.varLong(inputTokens);
        out.varLong(outputTokens);
        out.doubleValue(cost);
        out.varLong(runs);
        out.varLong(succeeded);
        out.varLong(failed);
        out.varLong(escalated);
        out.varLong(manualRescue);
        out.varLong(runsWithTokens);
        out.varLong(runTokens);
        out.varLong(confidenceCount);
        out.doubleValue(confidenceSum);
        latency.encode(out);
    }

    public static Pane decode(ByteReader in) {
        long[] v = new long[6];
        for (int i = 0; i < 6; i++) {
            v[i] = in.varLong();
        }
        double cost = in.doubleValue();
        long[] w = new long[8];
        for (int i = 0; i < 8; i++) {
            w[i] = in.varLong();
        }
        double confidenceSum = in.doubleValue();
        Pane p = new Pane(LatencySketch.decode(in));
        p.events = v[0];
        p.errors = v[1];
        p.timeouts = v[2];
        p.requests = v[3];
        p.inputTokens = v[4];
        p.outputTokens = v[5];
        p.cost = cost;
        p.runs = w[0];
        p.succeeded = w[1];
        p.failed = w[2];
        p.escalated = w[3];
        p.manualRescue = w[4];
        p.runsWithTokens = w[5];
        p.runTokens = w[6];
        p.confidenceCount = w[7];
        p.confidenceSum = confidenceSum;
        return p;
    }
}
