package io.agentwatch.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.embedded.TopicPlan;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.serde.AvroWireSerializer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What `agentwatch up` promises across runs: the second start finds the topics, schemas and events of the first. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalStackIT {
    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void shouldFindTheTopicsSchemasAndEventsOfTheFirstRunOnTheSecond() throws Exception {
        List<String> topics = TopicPlan.defaults().stream().map(TopicPlan::name).toList();
        Map<String, Integer> firstIds;
        long firstRegistryPid;
        try (LocalStack first = LocalStack.start(dataDir, 0, 0)) {
            assertThat(first.bootstrap().createdTopics()).containsExactlyInAnyOrderElementsOf(topics);
            firstIds = first.bootstrap().schemaIds();
            firstRegistryPid = first.registry().pid();
            produceEvents(first, 5);
        }
        assertThat(ProcessHandle.of(firstRegistryPid).filter(ProcessHandle::isAlive)).as("registry after close").isEmpty();

        try (LocalStack second = LocalStack.start(dataDir, 0, 0)) {
            assertThat(second.bootstrap().createdTopics()).isEmpty();
            assertThat(second.bootstrap().existingTopics()).containsExactlyInAnyOrderElementsOf(topics);
            assertThat(second.bootstrap().schemaIds()).isEqualTo(firstIds);
            assertThat(second.registryClient().subjects()).contains("agent.events-value", "agent.alerts-value");
            assertThat(TopicSummary.of(second.admin(), List.of(Contracts.EVENTS_TOPIC)).get(Contracts.EVENTS_TOPIC))
                    .isEqualTo(new TopicSummary.Counts(6, 5));
        }
    }

    private static void produceEvents(LocalStack stack, int count) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, AgentEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroWireSerializer<>(stack.registryClient(), false, false))) {
            for (int i = 0; i < count; i++) {
                AgentEvent event = AgentEvent.newBuilder().setEventId("e-" + i).setTimestamp(T0.plusSeconds(i)).setAgentId("agent-" + i).build();
                producer.send(new ProducerRecord<>(Contracts.EVENTS_TOPIC, event.getAgentId(), event)).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
