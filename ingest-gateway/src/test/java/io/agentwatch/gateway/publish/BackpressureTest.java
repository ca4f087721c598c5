package io.agentwatch.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class BackpressureTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Backpressure bp = new Backpressure(1_000, Duration.ofSeconds(5), Duration.ofSeconds(2), clock::get);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void shouldRefuseWith429WhenTheRequestBytesInFlightWouldExceedTheBudget() {
        assertThat(bp.reserve(600)).isEqualTo(Backpressure.Decision.ACCEPT);
        assertThat(bp.reserve(600)).isEqualTo(Backpressure.Decision.INFLIGHT_FULL);
        assertThat(Backpressure.Decision.INFLIGHT_FULL.httpStatus()).isEqualTo(429);
        bp.release(600);
        assertThat(bp.reserve(600)).isEqualTo(Backpressure.Decision.ACCEPT);
        assertThat(bp.inflightBytes()).isEqualTo(600);
    }

    @Test
    void shouldLetOneRequestLargerThanTheWholeBudgetThroughWhenNothingElseIsInFlight() {
        assertThat(bp.reserve(5_000)).isEqualTo(Backpressure.Decision.ACCEPT);
        assertThat(bp.reserve(1)).isEqualTo(Backpressure.Decision.INFLIGHT_FULL);
    }

    @Test
    void shouldAnswer503WhenAnEventHasWaitedForKafkaLongerThanTheStallTimeoutAndRecoverOnceItSettles() {
        PublishBatch batch = new PublishBatch(2, clock.get(), bp);
        advance(Duration.ofSeconds(4));
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.ACCEPT);
        assertThat(bp.pendingEvents()).isEqualTo(2);

        advance(Duration.ofSeconds(2));
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.KAFKA_STALLED);
        assertThat(Backpressure.Decision.KAFKA_STALLED.httpStatus()).isEqualTo(503);
        assertThat(bp.oldestPendingSeconds()).isEqualTo(6.0);

        batch.settle(0, null);
        batch.settle(1, null);
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.ACCEPT);
        assertThat(bp.pendingEvents()).isZero();
        assertThat(bp.oldestPendingSeconds()).isZero();
    }

    @Test
    void shouldHold503ForTheRetryDelayAfterAnOutageKindOfFailureOnly() {
        PublishBatch batch = new PublishBatch(3, clock.get(), bp);
        batch.settle(0, new RecordTooLargeException("too big"));
        assertThat(bp.checkState()).as("a record problem is not an outage").isEqualTo(Backpressure.Decision.ACCEPT);

        batch.settle(1, new TimeoutException("Expiring 1 record(s)"));
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.KAFKA_FAILING);
        assertThat(bp.lastFailure()).contains("Expiring");
        advance(Duration.ofMillis(2_001));
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.ACCEPT);

        batch.settle(2, new RegistryUnavailableException("registry down", 503, null));
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.KAFKA_FAILING);
    }

    @Test
    void shouldRefuseEverythingWhileDrainingAndWakeTheCloserWhenTheLastRequestEnds() throws Exception {
        bp.requestStarted();
        bp.startDraining();
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.DRAINING);
        assertThat(bp.awaitNoRequests(Duration.ofMillis(10))).isFalse();
        Thread finisher = new Thread(bp::requestFinished);
        finisher.start();
        assertThat(bp.awaitNoRequests(Duration.ofSeconds(5))).isTrue();
        finisher.join();
    }
}
