package io.agentwatch.processor;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.ingest.RegistryOutageException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;

class StreamThreadFailuresTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger shutdowns = new AtomicInteger();
    private final StreamThreadFailures failures = new StreamThreadFailures(now::get, shutdowns::incrementAndGet);

    @Test
    void shouldReplaceTheThreadWhenItsStateCouldNotBeOpenedOrRestoredAFewTimesThenStopTheClient() {
        Throwable corrupted = new TaskCorruptedException(Set.of(new TaskId(2, 2)));
        Throwable locked = new StreamsException(new ProcessorStateException("Error opening store agent-panes-store",
                new RocksDBException("While lock file: agent-panes-store/LOCK: Resource temporarily unavailable")));
        Throwable invalid = new ProcessorStateException("State store agent-evaluations-store didn't find a valid state");

        assertThat(failures.handle(corrupted)).isEqualTo(REPLACE_THREAD);
        assertThat(failures.handle(locked)).isEqualTo(REPLACE_THREAD);
        now.addAndGet(60_000);
        assertThat(failures.handle(invalid)).isEqualTo(REPLACE_THREAD);
        assertThat(shutdowns).hasValue(0);

        assertThat(failures.handle(corrupted)).as("a fourth within ten minutes").isEqualTo(SHUTDOWN_CLIENT);
        assertThat(shutdowns).hasValue(1);

        now.addAndGet(StreamThreadFailures.STATE_WINDOW_MS);
        assertThat(failures.handle(corrupted)).as("the earlier ones are older than the window").isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldStopTheClientAtOnceWhenThisProcessStillHoldsAStoresLock() {
        Throwable held = new StreamsException(new ProcessorStateException("Error opening store agent-panes-store.1795406550000",
                new RocksDBException("lock hold by current process, acquire time 1795415578 acquiring thread 139810054338240: .../LOCK: No locks available")));

        assertThat(failures.handle(held)).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(shutdowns).hasValue(1);
    }

    @Test
    void shouldReplaceTheThreadOnARegistryOutageAndStopTheClientOnAnyOtherFailure() {
        for (int i = 0; i < 10; i++) {
            assertThat(failures.handle(new StreamsException(new RegistryOutageException("registry down", null)))).isEqualTo(REPLACE_THREAD);
        }
        assertThat(failures.handle(new StreamsException(new IllegalStateException("a bug")))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(shutdowns).hasValue(1);
        assertThat(StreamThreadFailures.isStateFailure(new StreamsException(new IllegalStateException("a bug")))).isFalse();
    }
}
