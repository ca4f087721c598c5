package io.agentwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StackBootstrapIT {
    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static ApicurioRegistry registry;

    @BeforeAll
    static void startStack() {
        broker = EmbeddedKafkaBroker.start(BrokerSettings.of(0, dataDir));
        registry = ApicurioRegistry.start(RegistrySettings.inMemory(0, dataDir.resolve("registry")));
    }

    @AfterAll
    static void stopStack() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldCreateTheDesignTopicsAndRegisterTheSchemasOnceAndFindThemOnTheSecondRun() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
             SchemaRegistryClient client = registry.client()) {
            StackBootstrap.Result first = new StackBootstrap(admin, client, (short) 1).run();
            StackBootstrap.Result second = new StackBootstrap(admin, client, (short) 1).run();

            List<String> designTopics = TopicPlan.defaults().stream().map(TopicPlan::name).toList();
            assertThat(first.createdTopics()).containsExactlyInAnyOrderElementsOf(designTopics);
            assertThat(first.existingTopics()).isEmpty();
            assertThat(second.createdTopics()).isEmpty();
            assertThat(second.existingTopics()).containsExactlyInAnyOrderElementsOf(designTopics);
            assertThat(second.schemaIds()).isEqualTo(first.schemaIds());

            Map<String, TopicDescription> described = admin.describeTopics(designTopics).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.get(Contracts.EVENTS_TOPIC).partitions()).hasSize(6);
            assertThat(described.get(Contracts.RULES_TOPIC).partitions()).hasSize(1);
            ConfigResource rules = new ConfigResource(ConfigResource.Type.TOPIC, Contracts.RULES_TOPIC);
            Config rulesConfig = admin.describeConfigs(List.of(rules)).all().get(30, TimeUnit.SECONDS).get(rules);
            assertThat(rulesConfig.get("cleanup.policy").value()).isEqualTo("compact");

            assertThat(client.subjects()).contains("agent.events-value", "agent.alerts-value", "agent.rules-value", "agent.control-value");
            for (Contracts.AvroTopic topic : Contracts.avroTopics()) {
                assertThat(client.compatibility(topic.subject())).as(topic.subject()).isEqualTo("BACKWARD");
                assertThat(client.latest(topic.subject()).schema()).isEqualTo(topic.valueSchema());
            }
        }
    }
}
