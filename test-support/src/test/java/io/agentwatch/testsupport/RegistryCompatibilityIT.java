package io.agentwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.embedded.Ports;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.IncompatibleSchemaException;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.RegistryUnavailableException;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.WireFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the real registry enforces, and what a client sees when no registry answers. */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RegistryCompatibilityIT {

    @Test
    void shouldRejectANewRequiredFieldWithoutDefaultUnderBackwardCompatibility(KafkaStack stack) {
        SchemaRegistryClient registry = stack.registryClient();
        String subject = stack.uniqueName("agent-events") + "-value";
        registry.setCompatibility(subject, "BACKWARD");
        int currentId = registry.register(subject, AgentEvent.getClassSchema());
        Schema breaking = AgentEventSchemas.withNewRequiredField();

        assertThat(registry.isCompatible(subject, AgentEventSchemas.newer())).as("an optional field and an enum symbol").isTrue();
        assertThat(registry.isCompatible(subject, breaking)).as("a required field without default").isFalse();
        assertThatThrownBy(() -> registry.register(subject, breaking)).isInstanceOf(IncompatibleSchemaException.class);
        assertThat(registry.latest(subject).id()).isEqualTo(currentId);
    }

    @Test
    void shouldRejectABreakingChangeOnASubjectThatOnlyHasTheGlobalDefault(KafkaStack stack) {
        SchemaRegistryClient registry = stack.registryClient();
        String subject = stack.uniqueName("no-subject-config") + "-value";
        registry.register(subject, AgentEvent.getClassSchema());

        assertThat(registry.compatibility(subject)).isEqualTo("BACKWARD");
        assertThatThrownBy(() -> registry.register(subject, AgentEventSchemas.withNewRequiredField()))
                .isInstanceOf(IncompatibleSchemaException.class);
    }

    @Test
    void shouldReportTheRegistryUnavailableAfterItsRetriesWhenNothingListens() {
        int closedPort = Ports.freePort();
        Map<String, Object> props = Map.of(
                RegistryConfig.URL, "http://127.0.0.1:" + closedPort,
                RegistryConfig.RETRIES, "2",
                RegistryConfig.RETRY_BACKOFF_MS, "10",
                RegistryConfig.CONNECT_TIMEOUT_MS, "500");
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(props));
             AvroWireDeserializer<AgentEvent> deserializer = new AvroWireDeserializer<>(client, AgentEvent.class)) {
            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("after 3 attempts")
                    .hasMessageContaining(String.valueOf(closedPort));

            byte[] header = new byte[WireFormat.HEADER_SIZE + 1];
            WireFormat.writeHeader(header, 7);
            assertThatThrownBy(() -> deserializer.deserialize("t", header))
                    .as("transient, so not a dead-letter-able wire-format error")
                    .isInstanceOf(RegistryUnavailableException.class);
        }
    }
}
