package io.agentwatch.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker settings a single Kafka node needs so that consumer groups, transactions and exactly-once Kafka
 * Streams applications work on it: internal topics with replication factor 1 and min ISR 1, no initial rebalance
 * delay, and a small log-cleaner buffer so that a developer machine does not spend 128 MB of heap on it. The
 * embedded broker and the test cluster kit both apply exactly these, so tests and the local stack behave alike.
 */
public final class SingleNodeKafkaConfig {
    private SingleNodeKafkaConfig() {
    }

    /** Broker properties for a one-node cluster; the caller adds listeners, node id and directories. */
    public static Map<String, String> properties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // the cleaner's dedupe buffer is allocated on the heap up front: 128 MB by default
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        return props;
    }
}
