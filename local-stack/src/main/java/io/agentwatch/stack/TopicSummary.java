package io.agentwatch.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** How many partitions and records each topic holds, so that a restart visibly finds the data of the last run. */
final class TopicSummary {
    private TopicSummary() {
    }

    /** Partitions of a topic, and records in it (end offset minus start offset, summed over the partitions). */
    record Counts(int partitions, long records) {
    }

    /** The counts of each topic, in the given order. */
    static Map<String, Counts> of(Admin admin, List<String> topics) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            partitions.forEach(tp -> {
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            Map<String, Counts> summary = new LinkedHashMap<>();
            for (String topic : topics) {
                long records = 0;
                for (TopicPartition tp : partitions) {
                    if (tp.topic().equals(topic)) {
                        records += ends.get(tp).offset() - starts.get(tp).offset();
                    }
                }
                summary.put(topic, new Counts(described.get(topic).partitions().size(), records));
            }
            return summary;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the topics", e);
        }
    }
}
