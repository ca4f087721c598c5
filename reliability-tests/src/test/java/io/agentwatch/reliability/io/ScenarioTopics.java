package io.agentwatch.reliability.io;

import io.agentwatch.testsupport.KafkaStack;
import java.util.Map;

/**
 * The topics of one scenario run, named uniquely on the shared broker so that runs never see each other's records:
 * events (6 partitions, as the local stack and the k8s manifests create it), alerts, the events dead-letter topic,
 * rule overrides (compacted) and the alerts dead-letter topic.
 */
record ScenarioTopics(String events, String alerts, String eventsDlq, String rules, String alertsDlq) {
    static final int EVENT_PARTITIONS = 6;

    static ScenarioTopics create(KafkaStack stack, String prefix) {
        ScenarioTopics t = new ScenarioTopics(stack.uniqueName(prefix + "-events"), stack.uniqueName(prefix + "-alerts"),
                stack.uniqueName(prefix + "-events-dlq"), stack.uniqueName(prefix + "-rules"), stack.uniqueName(prefix + "-alerts-dlq"));
        stack.createTopic(t.events, EVENT_PARTITIONS);
        stack.createTopic(t.alerts, 3);
        stack.createTopic(t.eventsDlq, 3);
        stack.createTopic(t.rules, 1, Map.of("cleanup.policy", "compact"));
        stack.createTopic(t.alertsDlq, 1);
        return t;
    }
}
