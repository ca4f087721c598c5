package io.agentwatch.sink.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * The result of one attempt to send an {@link Outgoing}.
 *
 * @param ok         accepted by the receiver
 * @param retryable  worth another attempt (429, 5xx, 408, connection errors, timeouts)
 * @param retryAfter the receiver's Retry-After, when it gave one
 * @param reason     a short stable code for metrics: {@code http_503}, {@code connect}, {@code timeout}, ...
 * @param error      what went wrong, for logs and the dead-letter header; never contains a secret
 */
public record Attempt(boolean ok, boolean retryable, Optional<Duration> retryAfter, String reason, String error) {
    public static Attempt success() {
        return new Attempt(true, false, Optional.empty(), "ok", "");
    }

    public static Attempt failure(boolean retryable, Optional<Duration> retryAfter, String reason, String error) {
        return new Attempt(false, retryable, retryAfter, reason, error);
    }
}
