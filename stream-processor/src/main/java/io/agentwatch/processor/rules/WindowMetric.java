package io.agentwatch.processor.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a window rule can measure over an agent's window: the names a condition uses, as in
 * {@code error_rate_10m} (the metric {@link #ERROR_RATE} over a 10-minute window). Latencies are in
 * milliseconds, rates are fractions (0..1), cost is in US dollars. A ratio with a zero denominator is NaN, and
 * any comparison with NaN is false, so a rule never fires on an empty window.
 */
public enum WindowMetric {
    EVENTS("steps in the window (heartbeats excluded)"),
    ERRORS("steps with status ERROR or TIMEOUT"),
    ERROR_RATE("errors / events"),
    TIMEOUTS("steps with status TIMEOUT"),
    TIMEOUT_RATE("timeouts / events"),
    LATENCY_P50("median step latency, ms"),
    LATENCY_P90("90th percentile step latency, ms"),
    LATENCY_P95("95th percentile step latency, ms"),
    LATENCY_P99("99th percentile step latency, ms"),
    LATENCY_MAX("highest step latency, ms (within 1%)"),
    REQUESTS("steps that report tokens (LLM calls)"),
    TOKENS("input + output tokens"),
    INPUT_TOKENS("input tokens"),
    OUTPUT_TOKENS("output tokens"),
    TOKENS_PER_REQUEST("tokens / requests"),
    COST("cost in USD"),
    RUNS("finished agent runs (events with an outcome)"),
    SUCCESS_RATE("runs that SUCCEEDED / runs"),
    FAILURE_RATE("runs that FAILED or were ABANDONED / runs"),
    ESCALATION_RATE("runs that ended ESCALATED / runs"),
    MANUAL_RESCUE_RATE("runs that ended MANUAL_RESCUE / runs"),
    TOKENS_PER_RUN("tokens of finished runs / finished runs that report tokens"),
    CONFIDENCE("mean confidence of the steps that report one");

    private final String description;

    WindowMetric(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The name used in conditions: lower-case, e.g. {@code error_rate}. */
    public String ruleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WindowMetric> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.ruleName().equals(name)).findFirst();
    }
}
