package io.agentwatch.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waiting in integration tests: poll for a condition with a deadline, never sleep. Thin shortcuts over
 * Awaitility (use it directly for anything else).
 */
public final class Await {
    private Await() {
    }

    /** An Awaitility condition that polls every 50 ms for at most {@code atMost}. */
    public static ConditionFactory atMost(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    /**
     * Polls the consumer (already subscribed or assigned) until it has returned at least {@code count} records, and
     * returns them in arrival order; fails with Awaitility's timeout error naming the deadline otherwise. Polls on
     * the calling thread, as a consumer requires.
     */
    public static <K, V> List<ConsumerRecord<K, V>> records(Consumer<K, V> consumer, int count, Duration atMost) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Awaitility.await("at least " + count + " records")
                .atMost(atMost)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                    return records.size() >= count;
                });
        return records;
    }
}
