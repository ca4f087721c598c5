package io.agentwatch.reliability.io;

import io.agentwatch.testsupport.KafkaStack;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A consumer group's lag on one topic (end offsets minus committed offsets), asked repeatedly with one client. */
final class GroupLag implements AutoCloseable {
    private final KafkaStack stack;
    private final String group;
    private final KafkaConsumer<byte[], byte[]> offsets;
    private final List<TopicPartition> partitions;

    GroupLag(KafkaStack stack, String group, String topic) {
        this.stack = stack;
        this.group = group;
        this.offsets = new KafkaConsumer<>(stack.consumerProps(stack.uniqueName("lag")), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = offsets.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    long now() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = stack.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : offsets.endOffsets(partitions).entrySet()) {
            OffsetAndMetadata off = committed.get(e.getKey());
            lag += e.getValue() - (off == null ? 0 : off.offset());
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
        offsets.close();
    }
}
