package io.agentwatch.sink.routing;

import java.time.Duration;

/**
 * The retry budget of a receiver: exponential backoff with full jitter from {@code initialBackoff} up to
 * {@code maxBackoff}, at most {@code maxAttempts} attempts in all and no new attempt after {@code maxElapsed}.
 * After that the alert goes to the dead-letter topic.
 */
public record RetrySpec(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {
    public static final RetrySpec DEFAULT = new RetrySpec(12, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public RetrySpec {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial_backoff <= max_backoff");
        }
    }
}
