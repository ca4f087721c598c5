package io.agentwatch.gateway.publish;

import io.agentwatch.schema.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Decides whether the gateway takes another request, so that a slow or absent Kafka turns into 503/429 answers
 * with Retry-After instead of memory growing without bound:
 * <ul>
 *   <li>while shutting down: 503;</li>
 *   <li>when an event handed to the producer has waited longer than the stall timeout for Kafka's acknowledgement
 *       (Kafka is down or too slow): 503, until the backlog is acknowledged or expires;</li>
 *   <li>for the failure hold after a delivery failed for a retriable reason (Kafka or the schema registry
 *       unavailable): 503;</li>
 *   <li>when the bytes of the requests being processed would exceed the in-flight budget: 429.</li>
 * </ul>
 * The first three are checked before the body is read; the budget once its size is known.
 */
public final class Backpressure {
    /** Why a request is refused, or {@link #ACCEPT}. */
    public enum Decision {
        ACCEPT(200, "ok"),
        DRAINING(503, "draining"),
        KAFKA_STALLED(503, "kafka_stalled"),
        KAFKA_FAILING(503, "kafka_failing"),
        INFLIGHT_FULL(429, "inflight_bytes");

        private final int httpStatus;
        private final String reason;

        Decision(int httpStatus, String reason) {
            this.httpStatus = httpStatus;
            this.reason = reason;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The metric tag. */
        public String reason() {
            return reason;
        }
    }

    private final long maxInflightBytes;
    private final long stallNanos;
    private final long failureHoldNanos;
    private final LongSupplier nanoClock;

    private final AtomicLong inflightBytes = new AtomicLong();
    private final AtomicInteger inflightRequests = new AtomicInteger();
    private final AtomicLong pendingEvents = new AtomicLong();
    private final Set<PublishBatch> pendingBatches = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastFailureNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean draining;
    private volatile String lastFailure;

    public Backpressure(long maxInflightBytes, Duration stallTimeout, Duration failureHold, LongSupplier nanoClock) {
        this.maxInflightBytes = maxInflightBytes;
        this.stallNanos = stallTimeout.toNanos();
        this.failureHoldNanos = failureHold.toNanos();
        this.nanoClock = nanoClock;
    }

    public Backpressure(long maxInflightBytes, Duration stallTimeout, Duration failureHold) {
        this(maxInflightBytes, stallTimeout, failureHold, System::nanoTime);
    }

    /** The state checks that need no body: draining, Kafka stalled, Kafka failing. */
    public Decision checkState() {
        if (draining) {
            return Decision.DRAINING;
        }
        long now = nanoClock.getAsLong();
        long oldest = oldestPendingStart();
        if (oldest != Long.MAX_VALUE && now - oldest > stallNanos) {
            return Decision.KAFKA_STALLED;
        }
        long failed = lastFailureNanos.get();
        if (failed != Long.MIN_VALUE && now - failed < failureHoldNanos) {
            return Decision.KAFKA_FAILING;
        }
        return Decision.ACCEPT;
    }

    /** Reserves the bytes of a request; {@link Decision#INFLIGHT_FULL} when they do not fit. Pair with {@link #release}. */
    public Decision reserve(long bytes) {
        while (true) {
            long current = inflightBytes.get();
            // a request larger than the whole budget still gets through when nothing else is in flight
            if (current > 0 && current + bytes > maxInflightBytes) {
                return Decision.INFLIGHT_FULL;
            }
            if (inflightBytes.compareAndSet(current, current + bytes)) {
                return Decision.ACCEPT;
            }
        }
    }

    public void release(long bytes) {
        inflightBytes.addAndGet(-bytes);
    }

    /** Counts a request from its arrival to its answer (for graceful shutdown). */
    public void requestStarted() {
        inflightRequests.incrementAndGet();
    }

    public void requestFinished() {
        if (inflightRequests.decrementAndGet() == 0 && draining) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Waits until no request is in flight (call after {@link #startDraining}); false when the time ran out first. */
    public synchronized boolean awaitNoRequests(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inflightRequests.get() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    void batchStarted(PublishBatch batch, int events) {
        pendingEvents.addAndGet(events);
        pendingBatches.add(batch);
    }

    void eventsSettled(int events) {
        pendingEvents.addAndGet(-events);
    }

    void batchSettled(PublishBatch batch) {
        pendingBatches.remove(batch);
    }

    /** Records a failed delivery; retriable failures (Kafka or the registry unavailable) start the failure hold. */
    void deliveryFailed(Throwable e) {
        if (isOutage(e)) {
            lastFailureNanos.set(nanoClock.getAsLong());
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** True for failures that say Kafka or the registry is unavailable, rather than something wrong with a record. */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public long inflightBytes() {
        return inflightBytes.get();
    }

    public int inflightRequests() {
        return inflightRequests.get();
    }

    public long pendingEvents() {
        return pendingEvents.get();
    }

    /** Seconds the oldest unacknowledged event has waited for Kafka; 0 when none waits. */
    public double oldestPendingSeconds() {
        long oldest = oldestPendingStart();
        return oldest == Long.MAX_VALUE ? 0 : (nanoClock.getAsLong() - oldest) / 1e9;
    }

    /** The last outage-kind delivery failure, for logs and /ready details. */
    public String lastFailure() {
        return lastFailure;
    }

    private long oldestPendingStart() {
        long oldest = Long.MAX_VALUE;
        for (PublishBatch b : pendingBatches) {
            oldest = Math.min(oldest, b.startedNanos());
        }
        return oldest;
    }
}
