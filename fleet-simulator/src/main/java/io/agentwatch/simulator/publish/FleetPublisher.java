package io.agentwatch.simulator.publish;

import io.agentwatch.schema.AgentEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Sends a stream of events to an {@link EventSink} (a Kafka topic, a file), either as fast as possible or paced
 * to real time, reporting {@link Progress} every few seconds to a callback. Library code: it prints nothing; the
 * command prints the progress lines.
 *
 * <p>Failures are never swallowed: a sink error stops the publication with a {@link PublishException} naming how
 * many events went out before it. At the end everything is flushed. {@link #stop()} (from a shutdown hook, say)
 * ends the publication early but cleanly: the loop finishes the current event and flushes.
 */
public final class FleetPublisher {
    private final EventSink sink;
    private final Pacer pacer;
    private final Duration progressInterval;
    private final Consumer<Progress> progress;
    private final LongSupplier nanoClock;
    private volatile boolean stopRequested;

    /**
     * @param progressInterval how often to report (wall clock); the last report comes at the end in any case
     * @param nanoClock        monotonic clock for progress and rates, e.g. {@code System::nanoTime}
     */
    public FleetPublisher(EventSink sink, Pacer pacer, Duration progressInterval, Consumer<Progress> progress, LongSupplier nanoClock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** What a publication did. */
    public record Result(long sent, long acknowledged, Duration elapsed, boolean stoppedEarly) {
        public double eventsPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds > 0 ? sent / seconds : 0;
        }
    }

    /** Asks a running {@link #publish} to end after the current event (it still flushes). */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Sends every event of the iterator, then flushes.
     *
     * @throws PublishException     if the sink fails; the events before it may or may not have been written
     * @throws InterruptedException if interrupted while pacing (nothing is flushed then)
     */
    public Result publish(Iterator<AgentEvent> events) throws InterruptedException {
        long start = nanoClock.getAsLong();
        long intervalNanos = Math.max(1, progressInterval.toNanos());
        long nextReport = start + intervalNanos;
        long lastReport = start;
        long sentAtLastReport = 0;
        long sent = 0;
        long lastEventTime = -1;
        boolean stopped = false;
        while (events.hasNext()) {
            if (stopRequested) {
                stopped = true;
                break;
            }
            AgentEvent event = events.next();
            lastEventTime = event.getTimestamp().toEpochMilli();
            pacer.await(lastEventTime);
            try {
                sink.send(event);
            } catch (RuntimeException e) {
                throw new PublishException("sending to " + sink.describe() + " failed after " + sent + " events: " + e.getMessage(), e);
            }
            sent++;
            long now = nanoClock.getAsLong();
            if (now >= nextReport) {
                double rate = (sent - sentAtLastReport) / ((now - lastReport) / 1e9);
                progress.accept(new Progress(sent, sink.acknowledged(), rate, Duration.ofNanos(now - start), lastEventTime));
                sentAtLastReport = sent;
                lastReport = now;
                nextReport = now + intervalNanos;
            }
        }
        try {
            sink.flush();
        } catch (RuntimeException e) {
            throw new PublishException("flushing " + sink.describe() + " failed after " + sent + " events: " + e.getMessage(), e);
        }
        long end = nanoClock.getAsLong();
        double rate = end > lastReport ? (sent - sentAtLastReport) / ((end - lastReport) / 1e9) : 0;
        progress.accept(new Progress(sent, sink.acknowledged(), rate, Duration.ofNanos(end - start), lastEventTime));
        return new Result(sent, sink.acknowledged(), Duration.ofNanos(end - start), stopped);
    }
}
