package io.agentwatch.reliability.io;

import io.agentwatch.testsupport.KafkaStack;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on one topic (end offsets minus committed offsets), asked repeatedly through the admin
 * client (a consumer asked for end offsets of partitions it is not assigned logs a warning each time).
 */
final class GroupLag implements AutoCloseable {
    private final KafkaStack stack;
    private final String group;
    private final Map<TopicPartition, OffsetSpec> ends;

    GroupLag(KafkaStack stack, String group, String topic) throws Exception {
        this.stack = stack;
        this.group = group;
        List<TopicPartition> partitions = stack.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        this.ends = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
    }

    long now() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = stack.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : stack.admin().listOffsets(ends).all()
                .get(30, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata off = committed.get(e.getKey());
            lag += e.getValue().offset() - (off == null ? 0 : off.offset());
        }
        return lag;
    }

    /** Waits until the processor's consumer group has committed the end of the topic: every record read, exactly once. */
    static void awaitConsumed(KafkaStack stack, ServiceJvm processor, String group, String topic, java.time.Duration atMost) throws Exception {
        long end = System.nanoTime() + atMost.toNanos();
        try (GroupLag lag = new GroupLag(stack, group, topic)) {
            long left = lag.now();
            while (left > 0) {
                processor.requireAlive();
                if (System.nanoTime() > end) {
                    throw new AssertionError(processor.name() + " left " + left + " records of " + topic + " unconsumed after " + atMost + "; log "
                            + processor.logFile());
                }
                Thread.sleep(500);
                left = lag.now();
            }
        }
    }

    @Override
    public void close() {
        // the admin client is the stack's
    }
}
