package io.agentwatch.processor.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.Operation;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * The {@code events-by-trace} topic: progress markers reach every partition, spans land where they did before the
 * topic had a partitioner, and both survive the serde.
 */
class LineageSpanPartitionerTest {
    private static final String TOPIC = "agentwatch-processor-events-by-trace-repartition";
    private final LineageSpanPartitioner partitioner = new LineageSpanPartitioner();
    private final LineageSpan.LineageSpanSerde serde = new LineageSpan.LineageSpanSerde();

    private static LineageSpan span(String agent) {
        return new LineageSpan(0xa1, 0, agent, true, 1_700_000_000_000L, Operation.EXECUTE_TOOL);
    }

    @Test
    void shouldSendAProgressMarkerToEveryPartition() {
        for (int partitions : new int[] {1, 2, 6, 12}) {
            Optional<Set<Integer>> to = partitioner.partitions(TOPIC, LineageSpan.PROGRESS_KEY, LineageSpan.progress(1, 42L), partitions);

            assertThat(to).get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.collection(Integer.class))
                    .hasSize(partitions).allSatisfy(p -> assertThat(p).isBetween(0, partitions - 1));
        }
    }

    /**
     * A span is left to the producer's default partitioner (an empty answer: the record collector then sends it with
     * no partition), which for a keyed record is {@code toPositive(murmur2(key bytes)) % partitions}: the partition
     * every span went to when the topic had no partitioner, so traces stay where their state is.
     */
    @Test
    void shouldLeaveSpansWhereTheDefaultPartitionerPutsThem() {
        Random random = new Random(42);
        StringSerializer keys = new StringSerializer();
        for (int i = 0; i < 10_000; i++) {
            String traceId = i % 10 == 0 ? "trace-é-" + i : String.format("%016x%016x", random.nextLong(), random.nextLong());
            int partitions = 1 + random.nextInt(24);

            assertThat(partitioner.partitions(TOPIC, traceId, span("agent-" + i), partitions)).as(traceId).isEmpty();
            byte[] keyBytes = keys.serialize(TOPIC, traceId);
            assertThat(keyBytes).isEqualTo(traceId.getBytes(StandardCharsets.UTF_8));
            assertThat(BuiltInPartitioner.partitionForKey(keyBytes, partitions)).as("the producer's partition for a keyed record")
                    .isEqualTo(Utils.toPositive(Utils.murmur2(keyBytes)) % partitions);
        }
    }

    @Test
    void shouldRoundTripMarkersAndSpansThroughTheSerde() {
        LineageSpan marker = LineageSpan.progress(11, 1_700_000_123_456L);
        LineageSpan span = span("researcher");

        byte[] markerBytes = serde.serialize(TOPIC, marker);
        assertThat(markerBytes).as("layout, partition, time: compact").hasSizeLessThanOrEqualTo(8);
        assertThat(serde.deserialize(TOPIC, markerBytes)).isEqualTo(marker)
                .satisfies(m -> assertThat(m.isProgress()).isTrue())
                .satisfies(m -> assertThat(m.upstreamPartition()).isEqualTo(11));
        byte[] spanBytes = serde.serialize(TOPIC, span);
        assertThat(spanBytes[0]).as("spans keep their layout").isEqualTo((byte) 1);
        assertThat(serde.deserialize(TOPIC, spanBytes)).isEqualTo(span).satisfies(s -> assertThat(s.isProgress()).isFalse());
    }

    @Test
    void shouldRejectAnUnknownLayout() {
        assertThatThrownBy(() -> serde.deserialize(TOPIC, new byte[] {3, 0, 0})).hasMessageContaining("unknown lineage span layout 3");
    }
}
