package io.agentwatch.sink.delivery;

import io.agentwatch.sink.routing.RetrySpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try again: exponential backoff (initial, doubled per attempt, capped) with equal jitter (half fixed, half
 * random, so that retries of many alerts spread out but never collapse to zero), a Retry-After from the receiver
 * taking precedence; no further attempt once the attempts or the elapsed budget are spent, or when the failure is
 * not retryable (4xx other than 408 and 429).
 */
public final class RetryPolicy {
    private final RetrySpec spec;
    private final DoubleSupplier random;

    public RetryPolicy(RetrySpec spec, DoubleSupplier random) {
        this.spec = spec;
        this.random = random;
    }

    public RetryPolicy(RetrySpec spec) {
        this(spec, Math::random);
    }

    /**
     * The wait before the next attempt, or empty to give up.
     *
     * @param attemptsMade attempts made so far (1 after the first failure)
     * @param elapsed      time since the first attempt
     * @param last         the failed attempt
     */
    public Optional<Duration> nextDelay(int attemptsMade, Duration elapsed, Attempt last) {
        if (last.ok() || !last.retryable() || attemptsMade >= spec.maxAttempts()) {
            return Optional.empty();
        }
        Duration delay;
        if (last.retryAfter().isPresent()) {
            delay = last.retryAfter().get();
        } else {
            long cap = spec.maxBackoff().toMillis();
            long base = spec.initialBackoff().toMillis();
            long exp = base << Math.min(attemptsMade - 1, 30);
            if (exp <= 0 || exp > cap) {
                exp = cap;
            }
            delay = Duration.ofMillis(exp / 2 + (long) (random.getAsDouble() * (exp - exp / 2)));
        }
        if (elapsed.plus(delay).compareTo(spec.maxElapsed()) > 0) {
            return Optional.empty();
        }
        return Optional.of(delay);
    }

    public RetrySpec spec() {
        return spec;
    }
}
