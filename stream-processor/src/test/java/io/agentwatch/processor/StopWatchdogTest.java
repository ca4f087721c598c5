package io.agentwatch.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The exit after a failure that Kafka Streams does not finish stopping from; the clock is a fake (unit test). */
class StopWatchdogTest {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private final AtomicLong clock = new AtomicLong(1_000);
    private final StopWatchdog watchdog = new StopWatchdog(CLOSE_TIMEOUT, clock::get, Duration.ofMillis(5));

    @Test
    void shouldReturnNotFailedWhenTheClientStopsCleanly() throws Exception {
        watchdog.stopped();

        assertThat(watchdog.await()).isFalse();
        assertThat(watchdog.isStopped()).isTrue();
    }

    @Test
    void shouldReturnFailedWhenTheClientStopsAfterAFailure() throws Exception {
        watchdog.failed();
        watchdog.stopped();

        assertThat(watchdog.await()).isTrue();
        assertThat(watchdog.hung()).isFalse();
    }

    @Test
    void shouldKeepWaitingForAFailedClientUntilTheCloseTimeoutThenLetGo() throws Exception {
        watchdog.failed();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(this::awaitQuietly);

        clock.addAndGet(CLOSE_TIMEOUT.toNanos());
        Thread.sleep(100);
        assertThat(waiter).as("at the close timeout exactly, still waiting").isNotDone();

        clock.addAndGet(1);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).as("past it, let go as failed").isTrue();
        assertThat(watchdog.isStopped()).as("the client never reported stopping").isFalse();
    }

    @Test
    void shouldNeverLetGoOfAClientThatHasNotFailed() throws Exception {
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(this::awaitQuietly);

        clock.addAndGet(CLOSE_TIMEOUT.toNanos() * 10);
        Thread.sleep(100);
        assertThat(waiter).as("a running client is waited for however long").isNotDone();

        watchdog.stopped();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isFalse();
    }

    private boolean awaitQuietly() {
        try {
            return watchdog.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
