package io.agentwatch.processor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When the processor counts as stopped: its client closed or stopped, or it failed and has had the close timeout to
 * stop. After a failure Kafka Streams moves to ERROR once its threads have shut down; when that takes longer (seen:
 * a client stuck in PENDING_ERROR after a NullPointerException in Kafka Streams 4.3.1's state updater) the waiter is
 * let go anyway, so that the process exits and its supervisor restarts it instead of leaving it hung.
 */
final class StopWatchdog {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Duration closeTimeout;
    private final LongSupplier nanoClock;
    private final Duration poll;
    private volatile boolean failed;
    /** When the failure was reported (nanoClock); meaningful once {@link #failed}. */
    private volatile long failedAtNanos;

    StopWatchdog(Duration closeTimeout, LongSupplier nanoClock, Duration poll) {
        this.closeTimeout = closeTimeout;
        this.nanoClock = nanoClock;
        this.poll = poll;
    }

    static StopWatchdog system(Duration closeTimeout) {
        return new StopWatchdog(closeTimeout, System::nanoTime, Duration.ofSeconds(1));
    }

    /** A stream thread failure stopped (or is stopping) the client. */
    void failed() {
        failedAtNanos = nanoClock.getAsLong();
        failed = true;
    }

    /** The client has stopped: closed, NOT_RUNNING or ERROR. */
    void stopped() {
        stopped.countDown();
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    boolean hasFailed() {
        return failed;
    }

    /** True if the client has failed and has not stopped within the close timeout since. */
    boolean hung() {
        return failed && nanoClock.getAsLong() - failedAtNanos > closeTimeout.toNanos();
    }

    /**
     * Waits until the client stops, or until it has failed and not stopped within the close timeout; true if it failed.
     */
    boolean await() throws InterruptedException {
        while (!stopped.await(poll.toMillis(), TimeUnit.MILLISECONDS)) {
            if (hung()) {
                return true;
            }
        }
        return failed;
    }
}
