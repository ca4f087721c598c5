package io.agentwatch.processor;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.registry.RegistryUnavailableException;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.WireFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers, at start, the schemas the processor writes (alerts, control commands, the re-keyed events of its
 * repartition topic), so that their ids are in the shared registry client's cache before the first record needs
 * them. Without it the first alert after a start looks its schema id up on the spot, and a schema registry outage
 * at that moment fails the alert's send and stops the client, although every input schema is cached.
 */
final class SchemaWarmUp {
    private static final Logger log = LoggerFactory.getLogger(SchemaWarmUp.class);

    private SchemaWarmUp() {
    }

    /** Registers each schema under its topic's value subject; an unreachable registry is logged, not fatal. */
    static void run(SchemaRegistryClient registry, ProcessorConfig config) {
        List<String> subjects = new ArrayList<>();
        try {
            subjects.add(register(registry, config.alertsTopic(), Alert.getClassSchema()));
            subjects.add(register(registry, config.applicationId() + "-events-by-agent-repartition", AgentEvent.getClassSchema()));
            if (config.controlEnabled()) {
                subjects.add(register(registry, config.controlTopic(), ControlCommand.getClassSchema()));
            }
            log.info("output schema ids cached for {}", subjects);
        } catch (RegistryUnavailableException e) {
            log.warn("schema registry unreachable at start ({}): output schema ids will be looked up when first needed", e.getMessage());
        }
    }

    private static String register(SchemaRegistryClient registry, String topic, Schema schema) {
        String subject = WireFormat.subject(topic, false);
        registry.register(subject, schema);
        return subject;
    }
}
