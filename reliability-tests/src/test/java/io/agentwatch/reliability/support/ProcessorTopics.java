package io.agentwatch.reliability.support;

import io.agentwatch.testsupport.TopicReadiness;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics one processor scenario uses, with unique names: input events, the dead-letter topic, rule overrides
 * and control commands, and one alerts topic per run (the fault-free reference writes to its own).
 */
public record ProcessorTopics(String events, String dlq, String rules, String control, int eventPartitions, short replication) {
    public static final int ALERT_PARTITIONS = 3;

    /** Creates the shared topics; each run creates its alerts topic with {@link #createAlerts}. */
    public static ProcessorTopics create(Admin admin, String prefix, int eventPartitions, short replication, Map<String, String> configs) {
        ProcessorTopics t = new ProcessorTopics(prefix + "-events", prefix + "-events-dlq", prefix + "-rules", prefix + "-control",
                eventPartitions, replication);
        try {
            admin.createTopics(List.of(
                    new NewTopic(t.events, eventPartitions, replication).configs(configs),
                    new NewTopic(t.dlq, 1, replication).configs(configs),
                    new NewTopic(t.rules, 1, replication).configs(merge(configs, Map.of("cleanup.policy", "compact"))),
                    new NewTopic(t.control, 1, replication).configs(configs))).all().get(60, TimeUnit.SECONDS);
            TopicReadiness.await(admin, List.of(t.events, t.dlq, t.rules, t.control), 60);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics of " + prefix + ": " + e, e);
        }
        return t;
    }

    /** Creates an alerts topic for one run. */
    public String createAlerts(Admin admin, String name, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, ALERT_PARTITIONS, replication).configs(configs))).all().get(60, TimeUnit.SECONDS);
            TopicReadiness.await(admin, List.of(name), 60);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the alerts topic " + name + ": " + e, e);
        }
        return name;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }
}
