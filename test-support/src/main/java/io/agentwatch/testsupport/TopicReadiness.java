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

    /** Returns when every partition of {@code topics} has a leader that answers; fails after {@code timeoutSeconds}. */
    public static void await(Admin admin, Collection<String> topics, long timeoutSeconds) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(timeoutSeconds, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : described.values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                }
            }
            admin.listOffsets(latest).all().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("topics " + topics + " not ready for writes within " + timeoutSeconds + " s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
        }
    }
}
