package io.agentwatch.schema.validation;

import io.agentwatch.schema.AgentEvent;
import java.time.Instant;

/**
 * Checks the rules an {@link AgentEvent} must keep beyond what Avro's types enforce: ids present, an event time
 * that is neither missing nor absurd, no negative tokens, latency, cost or counters, confidence within 0..1.
 * The processor dead-letters an event that breaks one; the gateway refuses it. Allocation-free on the valid path.
 */
public final class AgentEventValidator {
    /** 2000-01-01T00:00:00Z: anything earlier is a unit mistake (seconds for milliseconds) or a zero value. */
    public static final long EARLIEST_PLAUSIBLE_MS = 946_684_800_000L;
    public static final int MAX_ID_LENGTH = 512;

    private final long maxFutureSkewMs;

    /** @param maxFutureSkewMs how far ahead of the wall clock an event time may be before it counts as absurd */
    public AgentEventValidator(long maxFutureSkewMs) {
        if (maxFutureSkewMs < 0) {
            throw new IllegalArgumentException("maxFutureSkewMs must be >= 0");
        }
        this.maxFutureSkewMs = maxFutureSkewMs;
    }

    /** The first rule the event breaks, or {@code null} if it keeps them all. */
    public Violation check(AgentEvent event, long nowMs) {
        if (event == null) {
            return new Violation("value", "is missing (null record)");
        }
        Violation v = requireId("event_id", event.getEventId());
        if (v != null) {
            return v;
        }
        v = requireId("agent_id", event.getAgentId());
        if (v != null) {
            return v;
        }
        Instant ts = event.getTimestamp();
        if (ts == null) {
            return new Violation("timestamp", "is missing");
        }
        long millis = ts.toEpochMilli();
        if (millis < EARLIEST_PLAUSIBLE_MS) {
            return new Violation("timestamp", "is absurd: " + millis + " ms is before 2000-01-01 (seconds instead of milliseconds?)");
        }
        if (millis > nowMs + maxFutureSkewMs) {
            return new Violation("timestamp", "is absurd: " + Instant.ofEpochMilli(millis) + " is more than " + maxFutureSkewMs + " ms in the future");
        }
        v = nonNegative("latency_ms", event.getLatencyMs());
        if (v != null) {
            return v;
        }
        v = nonNegative("input_tokens", event.getInputTokens());
        if (v != null) {
            return v;
        }
        v = nonNegative("output_tokens", event.getOutputTokens());
        if (v != null) {
            return v;
        }
        Double cost = event.getCostUsd();
        if (cost != null && (!(cost >= 0) || Double.isInfinite(cost))) {
            return new Violation("cost_usd", "must be a finite number >= 0, was " + cost);
        }
        v = nonNegative("retry_count", event.getRetryCount());
        if (v != null) {
            return v;
        }
        v = nonNegative("iteration", event.getIteration());
        if (v != null) {
            return v;
        }
        v = nonNegative("max_iterations", event.getMaxIterations());
        if (v != null) {
            return v;
        }
        Double confidence = event.getConfidence();
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            return new Violation("confidence", "must be within 0..1, was " + confidence);
        }
        return null;
    }

    private static Violation requireId(String field, String value) {
        if (value == null || value.isEmpty()) {
            return new Violation(field, "is missing or empty");
        }
        if (value.length() > MAX_ID_LENGTH) {
            return new Violation(field, "is longer than " + MAX_ID_LENGTH + " characters");
        }
        return null;
    }

    private static Violation nonNegative(String field, Number value) {
        if (value != null && value.longValue() < 0) {
            return new Violation(field, "must be >= 0, was " + value);
        }
        return null;
    }

    /** One broken rule: the field and what is wrong with it. */
    public record Violation(String field, String problem) {
        /** {@code field: problem}, the form used in dead-letter headers and API answers. */
        public String message() {
            return field + ": " + problem;
        }
    }
}
