package io.agentwatch.testsupport;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until new topics can take writes. {@code createTopics} completes when the controller has committed the
 * topics; a broker answers produce requests for a partition only once it has applied that metadata and become its
 * leader, and until then it answers NOT_LEADER_OR_FOLLOWER. An idempotent producer that meets that on its first
 * batches while later ones get through can be left retrying a batch the broker no longer accepts (out-of-order
 * sequence) until its delivery timeout: seen once on a loaded 2-core machine, right after a topic was created. A
 * ListOffsets answered by every partition's leader (the admin client retries NOT_LEADER itself) is the readiness
 * check.
 */
public final class TopicReadiness {
    private TopicReadiness() {
    }

    /**
     * Returns when every partition of {@code topics} has a leader that answers; fails after {@code timeoutSeconds}.
     * Retriable answers are retried until then: right after {@code createTopics} the broker asked can still answer
     * UNKNOWN_TOPIC_OR_PARTITION to the describe, which the admin client does not retry.
     */
    public static void await(Admin admin, Collection<String> topics, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Exception last = null;
        try {
            while (System.nanoTime() < deadline) {
                try {
                    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(timeoutSeconds, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    for (TopicDescription d : described.values()) {
                        for (TopicPartitionInfo p : d.partitions()) {
                            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                        }
                    }
                    admin.listOffsets(latest).all().get(timeoutSeconds, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new IllegalStateException("topics " + topics + " not ready for writes: " + e.getCause(), e.getCause());
                    }
                    last = e;
                    Thread.sleep(100);
                }
            }
        } catch (TimeoutException e) {
            last = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
        }
        throw new IllegalStateException("topics " + topics + " not ready for writes within " + timeoutSeconds + " s: " + last, last);
    }
}
