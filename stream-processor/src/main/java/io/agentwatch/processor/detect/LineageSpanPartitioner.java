package io.agentwatch.processor.detect;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The partitioner of the {@code events-by-trace} repartition topic: a progress marker goes to every partition (one
 * record, multicast by the record collector), so that every cascade task hears from every upstream task; a span is
 * left to the producer's default partitioner ({@code Optional.empty()}): {@code toPositive(murmur2(key bytes)) %
 * partitions}, exactly where it went before there was a partitioner, with nothing computed or allocated per span.
 */
public final class LineageSpanPartitioner implements StreamPartitioner<String, LineageSpan> {
    /** Every partition, for the last partition count asked about (it never changes while the topology runs). */
    private volatile AllPartitions all = new AllPartitions(0, Optional.of(Set.of()));

    private record AllPartitions(int count, Optional<Set<Integer>> partitions) {
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, LineageSpan value, int numPartitions) {
        if (value == null || !value.isProgress()) {
            return Optional.empty();
        }
        AllPartitions a = all;
        if (a.count != numPartitions) {
            a = new AllPartitions(numPartitions, Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet())));
            all = a;
        }
        return a.partitions;
    }
}
