package io.agentwatch.sink.pipeline;

import io.agentwatch.sink.SinkMetrics;
import io.agentwatch.sink.delivery.Attempt;
import io.agentwatch.sink.delivery.Envelope;
import io.agentwatch.sink.delivery.Notification;
import io.agentwatch.sink.delivery.Outgoing;
import io.agentwatch.sink.delivery.Receiver;
import io.agentwatch.sink.delivery.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery thread of one receiver: takes notifications in the order the dispatcher submitted them (so alerts
 * of one fingerprint, which share a partition, reach the receiver in order), sends each request with retries, and
 * dead-letters its alerts when the retry budget is spent or the receiver refuses them for good. An alert is marked
 * done in its partition's tracker only after it was accepted or dead-lettered. A slow receiver does not hold up the
 * others; it holds up only itself.
 */
public final class ReceiverLane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReceiverLane.class);

    private final Receiver receiver;
    private final RetryPolicy retry;
    private final DeadLetters deadLetters;
    private final SinkMetrics metrics;
    private final BlockingQueue<Notification> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Runnable periodic;
    private volatile long periodNanos;
    private long nextPeriodic;

    public ReceiverLane(Receiver receiver, RetryPolicy retry, DeadLetters deadLetters, SinkMetrics metrics) {
        this.receiver = receiver;
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "sink-deliver-" + receiver.name());
        this.thread.setDaemon(true);
    }

    public Receiver receiver() {
        return receiver;
    }

    /** A task run on this lane's thread every {@code every} while it is idle (Alertmanager refreshes). */
    public void periodic(Duration every, Runnable task) {
        this.periodNanos = every.toNanos();
        this.nextPeriodic = System.nanoTime() + periodNanos;
        this.periodic = task;
    }

    public void start() {
        thread.start();
    }

    public void submit(Notification n) {
        busy.incrementAndGet();
        queue.add(n);
    }

    /** What is queued and not yet taken by the lane's thread (for tests of the dispatcher, with the lane not started). */
    java.util.List<Notification> queued() {
        return java.util.List.copyOf(queue);
    }

    /** Notifications queued or being sent. */
    public int pending() {
        return busy.get();
    }

    private void run() {
        while (!closed) {
            Notification n;
            try {
                n = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (n == null) {
                Runnable task = periodic;
                if (task != null && System.nanoTime() - nextPeriodic >= 0) {
                    nextPeriodic = System.nanoTime() + periodNanos;
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("periodic task of receiver {} failed: {}", receiver.name(), e.toString());
                    }
                }
                continue;
            }
            try {
                deliver(n);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // a bug in rendering: the alerts stay owed (not committed) and are delivered again after a restart
                log.error("receiver {} failed on notification {}; its alerts stay uncommitted", receiver.name(), n.groupKey(), e);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private void deliver(Notification n) throws InterruptedException {
        List<Envelope> live = n.alerts().stream().filter(e -> e.owner().active()).toList();
        if (live.isEmpty()) {
            return;
        }
        Notification current = live.size() == n.alerts().size() ? n
                : new Notification(n.tracked(), n.groupKey(), n.groupLabels(), live, n.digest());
        String type = n.digest().isPresent() ? "digest" : receiver.spec().type().id();
        for (Outgoing out : receiver.render(current)) {
            send(n.tracked(), type, out);
        }
    }

    private void send(String tracked, String type, Outgoing out) throws InterruptedException {
        long start = System.nanoTime();
        int attempts = 0;
        while (true) {
            if (closed) {
                throw new InterruptedException("lane closed");
            }
            if (out.alerts().stream().noneMatch(e -> e.owner().active())) {
                return;
            }
            Attempt a = receiver.send(out);
            attempts++;
            if (a.ok()) {
                long now = System.nanoTime();
                for (Envelope e : out.alerts()) {
                    metrics.delivered(tracked, type, now - e.readNanos());
                    e.owner().done(e.offset(), tracked);
                }
                return;
            }
            Optional<Duration> delay = retry.nextDelay(attempts, Duration.ofNanos(System.nanoTime() - start), a);
            if (delay.isEmpty()) {
                log.warn("receiver {} refused {} alert(s) after {} attempt(s): {}; sending them to {}", tracked, out.alerts().size(),
                        attempts, a.error(), deadLetters.topic());
                for (Envelope e : out.alerts()) {
                    deadLetter(e, tracked, type, a, attempts);
                }
                return;
            }
            metrics.retry(tracked, a.reason());
            log.info("receiver {}: {} (attempt {}), retrying in {} ms", tracked, a.error(), attempts, delay.get().toMillis());
            Thread.sleep(Math.max(1, delay.get().toMillis()));
        }
    }

    private void deadLetter(Envelope e, String tracked, String type, Attempt a, int attempts) throws InterruptedException {
        while (true) {
            if (closed) {
                throw new InterruptedException("lane closed");
            }
            try {
                deadLetters.write(e.topic(), e.partition(), e.offset(), e.key(), e.value(), tracked, a.reason(), a.error(), attempts);
                metrics.deadLettered(tracked, type, a.reason());
                e.owner().done(e.offset(), tracked);
                return;
            } catch (InterruptedException ie) {
                throw ie;
            } catch (Exception ex) {
                // the source offset stays uncommitted until the dead letter is written
                log.error("cannot write dead letter for {} to {}: {}; retrying in 1 s", e.fingerprint(), deadLetters.topic(), ex.toString());
                Thread.sleep(1000);
            }
        }
    }

    /** Waits until nothing is queued or being sent, or the timeout passes. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (busy.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
