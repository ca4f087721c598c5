package io.agentwatch.processor;

import io.agentwatch.processor.ingest.RegistryOutageException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed stream thread gets: replaced, or the whole client stopped (the process then exits 1 and its
 * supervisor restarts it from the last commit).
 *
 * <ul>
 *   <li>The schema registry unreachable: the thread is replaced, as often as it happens. The new thread keeps this
 *       JVM's schema cache, so records with known schema ids go on; the waiting record is retried from the commit.</li>
 *   <li>The thread's state could not be opened or restored (a task's state corrupted after a hard kill; seen
 *       after SIGKILLs during restoration with Kafka Streams 4.3.1): the thread is replaced, so its tasks are closed
 *       dirty and re-initialized from their changelogs in this process, without a restart that would put a
 *       Kubernetes pod into crash-loop back-off. At most {@link #STATE_REPLACEMENTS} times in
 *       {@link #STATE_WINDOW_MS}: a failure that keeps coming back is not transient, and a fresh process is the
 *       better cure.</li>
 *   <li>A RocksDB store still locked by this very process ("lock hold by current process": a window-store segment
 *       left open by a failed restoration, seen with Kafka Streams 4.3.1 after a kill during restoration): a new
 *       thread meets the same lock, so the client stops at once; only a new process clears it.</li>
 *   <li>Anything else: the client stops.</li>
 * </ul>
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);
    static final int STATE_REPLACEMENTS = 3;
    static final long STATE_WINDOW_MS = 10 * 60_000L;

    private final LongSupplier clock;
    private final Runnable onShutdown;
    private final Deque<Long> stateReplacements = new ArrayDeque<>();

    /** @param onShutdown run when the answer is to stop the client (marks the process failed) */
    StreamThreadFailures(LongSupplier clock, Runnable onShutdown) {
        this.clock = clock;
        this.onShutdown = onShutdown;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        if (RegistryOutageException.isCause(e)) {
            log.error("stream thread failed because the schema registry is unreachable; replacing the thread (its tasks restart from their last commit)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (isHeldLock(e)) {
            log.error("a RocksDB store is still locked by this process (left open by a failed restoration); stopping the client so that a new "
                    + "process, which does not hold the lock, restores it from its last commit", e);
        } else if (isStateFailure(e)) {
            long now = clock.getAsLong();
            while (!stateReplacements.isEmpty() && stateReplacements.peekFirst() <= now - STATE_WINDOW_MS) {
                stateReplacements.removeFirst();
            }
            if (stateReplacements.size() < STATE_REPLACEMENTS) {
                stateReplacements.addLast(now);
                log.error("stream thread failed opening or restoring its state; replacing the thread ({} of at most {} such replacements in {} min): "
                        + "its tasks are re-initialized from their changelogs", stateReplacements.size(), STATE_REPLACEMENTS, STATE_WINDOW_MS / 60_000, e);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            log.error("stream thread failed opening or restoring its state for the {}th time in {} min; stopping the client so that it is restarted "
                    + "from its last commit", STATE_REPLACEMENTS + 1, STATE_WINDOW_MS / 60_000, e);
        } else {
            log.error("stream thread failed; stopping the client so that it is restarted from its last commit", e);
        }
        onShutdown.run();
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Whether {@code error} or one of its causes is RocksDB refusing a store's lock held by this process. */
    static boolean isHeldLock(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RocksDBException && t.getMessage() != null && t.getMessage().contains("lock hold by current process")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code error} or one of its causes says a task's local state could not be opened or restored. */
    static boolean isStateFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TaskCorruptedException || t instanceof ProcessorStateException || t instanceof RocksDBException) {
                return true;
            }
        }
        return false;
    }
}
