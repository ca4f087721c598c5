package io.agentwatch.gateway.publish;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The events of one request on their way to Kafka: which ones Kafka acknowledged and which failed, and a latch the
 * request thread waits on. Filled in by the producer's callbacks.
 */
public final class PublishBatch {
    private static final int PENDING = 0;
    private static final int ACKNOWLEDGED = 1;
    private static final int FAILED = 2;

    private final int size;
    private final long startedNanos;
    private final Backpressure backpressure;
    private final AtomicInteger remaining;
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final Throwable[] errors;
    private final AtomicIntegerArray settled;
    private final CountDownLatch done = new CountDownLatch(1);

    PublishBatch(int size, long startedNanos, Backpressure backpressure) {
        this.size = size;
        this.startedNanos = startedNanos;
        this.backpressure = backpressure;
        this.remaining = new AtomicInteger(size);
        this.errors = new Throwable[size];
        this.settled = new AtomicIntegerArray(size);
        if (size == 0) {
            done.countDown();
        } else {
            backpressure.batchStarted(this, size);
        }
    }

    long startedNanos() {
        return startedNanos;
    }

    public int size() {
        return size;
    }

    /** Called once per event: null for an acknowledgement, the cause for a failure; repeated calls are ignored. */
    void settle(int index, Throwable error) {
        if (!settled.compareAndSet(index, PENDING, error == null ? ACKNOWLEDGED : FAILED)) {
            return;
        }
        if (error == null) {
            acknowledged.incrementAndGet();
        } else {
            errors[index] = error;
            failed.incrementAndGet();
            backpressure.deliveryFailed(error);
        }
        backpressure.eventsSettled(1);
        if (remaining.decrementAndGet() == 0) {
            backpressure.batchSettled(this);
            done.countDown();
        }
    }

    /** Waits for every event to settle; false when the wait timed out (some events are still unacknowledged). */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** True once every event is acknowledged or failed. */
    public boolean settled() {
        return done.getCount() == 0;
    }

    /** Events Kafka has acknowledged so far. */
    public int acknowledgedCount() {
        return acknowledged.get();
    }

    /** True when Kafka has acknowledged event {@code index}; safe to call while the batch is still settling. */
    public boolean acknowledged(int index) {
        return settled.get(index) == ACKNOWLEDGED;
    }

    public int failedCount() {
        return failed.get();
    }

    /**
     * The failure of event {@code index}: null when acknowledged. Read only after {@link #await} returned true
     * (the latch makes the callbacks' writes visible).
     */
    public Throwable error(int index) {
        return errors[index];
    }

    /** The first failure, for a message; null when none. */
    public Throwable firstError() {
        for (Throwable t : errors) {
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
