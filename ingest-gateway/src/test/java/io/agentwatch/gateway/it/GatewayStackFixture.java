package io.agentwatch.gateway.it;

import io.agentwatch.gateway.GatewayConfig;
import io.agentwatch.gateway.GatewaySettings;
import io.agentwatch.gateway.IngestGateway;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.service.ServiceMetrics;
import io.agentwatch.service.Settings;
import io.agentwatch.testsupport.KafkaStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Starting a gateway on a free port against a test stack's broker and registry, and reading back what it published. */
final class GatewayStackFixture {
    private GatewayStackFixture() {
    }

    /** A gateway publishing to {@code topic}; {@code extra} are more AGENTWATCH_* settings by key. */
    static IngestGateway start(String bootstrapServers, String registryUrl, String topic, Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put(GatewaySettings.HTTP_PORT, "0");
        overrides.put(GatewaySettings.REGISTRY_URL, registryUrl);
        overrides.put(GatewaySettings.EVENTS_TOPIC, topic);
        Settings settings = Settings.load(GatewaySettings.ALL, null, Map.of(), overrides);
        IngestGateway gateway = IngestGateway.start(GatewayConfig.from(settings, Map.of("bootstrap.servers", bootstrapServers)),
                ServiceMetrics.create("gateway-it"));
        Awaitility.await("gateway ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(gateway::ready);
        return gateway;
    }

    static KafkaConsumer<String, AgentEvent> consumer(KafkaStack stack, String topic) {
        KafkaConsumer<String, AgentEvent> consumer = new KafkaConsumer<>(stack.consumerProps(stack.uniqueName("gateway-it")),
                new StringDeserializer(), new AvroWireDeserializer<>(stack.registryClient(), AgentEvent.class));
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
