package io.agentwatch.schema;

import io.agentwatch.schema.serde.WireFormat;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The default topic names of DESIGN.md and the Avro contract each one carries. The local stack and the
 * deploy scripts create these topics and register these subjects; services take the names from their
 * configuration, with these as defaults.
 */
public final class Contracts {
    public static final String EVENTS_TOPIC = "agent.events";
    public static final String ALERTS_TOPIC = "agent.alerts";
    public static final String EVENTS_DLQ_TOPIC = "agent.events.dlq";
    public static final String ALERTS_DLQ_TOPIC = "agent.alerts.dlq";
    public static final String RULES_TOPIC = "agent.rules";
    public static final String CONTROL_TOPIC = "agent.control";

    private Contracts() {
    }

    /** A topic whose values are one Avro record type, registered under {@code <topic>-value}. */
    public record AvroTopic(String topic, Schema valueSchema) {
        public String subject() {
            return WireFormat.subject(topic, false);
        }
    }

    /** The topics whose values are Avro contracts, with their schemas. */
    public static List<AvroTopic> avroTopics() {
        return List.of(
                new AvroTopic(EVENTS_TOPIC, AgentEvent.getClassSchema()),
                new AvroTopic(ALERTS_TOPIC, Alert.getClassSchema()),
                new AvroTopic(RULES_TOPIC, AlertRule.getClassSchema()),
                new AvroTopic(CONTROL_TOPIC, ControlCommand.getClassSchema()));
    }
}
