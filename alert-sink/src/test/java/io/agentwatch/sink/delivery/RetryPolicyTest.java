package io.agentwatch.sink.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.sink.routing.RetrySpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetrySpec SPEC = new RetrySpec(6, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(10));
    private static final Attempt UNAVAILABLE = Attempt.failure(true, Optional.empty(), "http_503", "HTTP 503");

    @Test
    void shouldDoubleTheBackoffWithJitterBetweenHalfAndAllOfIt() {
        RetryPolicy low = new RetryPolicy(SPEC, () -> 0.0);
        RetryPolicy high = new RetryPolicy(SPEC, () -> 0.999999);

        assertThat(low.nextDelay(1, Duration.ZERO, UNAVAILABLE)).contains(Duration.ofMillis(50));
        assertThat(high.nextDelay(1, Duration.ZERO, UNAVAILABLE)).contains(Duration.ofMillis(99));
        assertThat(low.nextDelay(3, Duration.ZERO, UNAVAILABLE)).contains(Duration.ofMillis(200));
        assertThat(low.nextDelay(5, Duration.ZERO, UNAVAILABLE)).as("capped at max_backoff").contains(Duration.ofMillis(500));
    }

    @Test
    void shouldHonourRetryAfter() {
        RetryPolicy policy = new RetryPolicy(SPEC, () -> 0.5);
        Attempt limited = Attempt.failure(true, Optional.of(Duration.ofSeconds(3)), "http_429", "HTTP 429");

        assertThat(policy.nextDelay(1, Duration.ZERO, limited)).contains(Duration.ofSeconds(3));
    }

    @Test
    void shouldNotRetryAFinalRefusal() {
        RetryPolicy policy = new RetryPolicy(SPEC, () -> 0.5);
        Attempt badRequest = Attempt.failure(false, Optional.empty(), "http_400", "HTTP 400");

        assertThat(policy.nextDelay(1, Duration.ZERO, badRequest)).isEmpty();
    }

    @Test
    void shouldGiveUpWhenAttemptsOrTimeAreSpent() {
        RetryPolicy policy = new RetryPolicy(SPEC, () -> 0.5);

        assertThat(policy.nextDelay(6, Duration.ZERO, UNAVAILABLE)).as("max_attempts").isEmpty();
        assertThat(policy.nextDelay(2, Duration.ofMillis(9_950), UNAVAILABLE)).as("max_elapsed").isEmpty();
        Attempt longWait = Attempt.failure(true, Optional.of(Duration.ofSeconds(60)), "http_429", "HTTP 429");
        assertThat(policy.nextDelay(1, Duration.ZERO, longWait)).as("a Retry-After beyond the budget").isEmpty();
    }
}
