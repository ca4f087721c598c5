package io.agentwatch.embedded;

import io.agentwatch.schema.Contracts;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A topic the stack needs: its name, partition count and topic configs. {@link #defaults()} is the DESIGN.md
 * topic set with partition counts sized for a local stack and a small cluster: enough input partitions to scale
 * the processor to six pods, one partition for the compacted rule table (read whole as a GlobalKTable).
 */
public record TopicPlan(String name, int partitions, Map<String, String> configs) {
    public TopicPlan {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** The DESIGN.md topics under their default names. */
    public static List<TopicPlan> defaults() {
        return List.of(
                new TopicPlan(Contracts.EVENTS_TOPIC, 6, Map.of()),
                new TopicPlan(Contracts.ALERTS_TOPIC, 3, Map.of()),
                new TopicPlan(Contracts.EVENTS_DLQ_TOPIC, 3, Map.of()),
                new TopicPlan(Contracts.ALERTS_DLQ_TOPIC, 3, Map.of()),
                new TopicPlan(Contracts.RULES_TOPIC, 1, Map.of("cleanup.policy", "compact")),
                new TopicPlan(Contracts.CONTROL_TOPIC, 3, Map.of()));
    }
}
