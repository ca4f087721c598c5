package io.agentwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.embedded.StackBootstrap;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.schema.serde.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the wire against the real broker and registry: registered schemas, and AgentEvents through a topic. */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AgentEventRoundTripIT {

    @Test
    void shouldRegisterTheContractSchemasWithBackwardCompatibility(KafkaStack stack) {
        StackBootstrap.Result result = new StackBootstrap(stack.admin(), stack.registryClient(), (short) 1).run();

        assertThat(stack.registryClient().subjects()).contains("agent.events-value", "agent.alerts-value", "agent.rules-value", "agent.control-value");
        for (Contracts.AvroTopic topic : Contracts.avroTopics()) {
            assertThat(stack.registryClient().compatibility(topic.subject())).as(topic.subject()).isEqualTo("BACKWARD");
            assertThat(stack.registryClient().latest(topic.subject()).id()).isEqualTo(result.schemaIds().get(topic.subject()));
        }
    }

    @Test
    void shouldReadBackEveryAgentEventThatTheSerializerWroteToARealTopic(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("events");
        stack.createTopic(topic, 3);
        List<AgentEvent> sent = IntStream.range(0, 50).mapToObj(TestEvents::typical).toList();

        Map<String, Object> producerProps = stack.producerProps();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroWireSerializer.class.getName());
        try (KafkaProducer<String, AgentEvent> producer = new KafkaProducer<>(producerProps)) {
            for (AgentEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, event.getAgentId(), event));
            }
            producer.flush();
        }

        Map<String, Object> consumerProps = stack.consumerProps(stack.uniqueName("reader"));
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroWireDeserializer.class.getName());
        consumerProps.put(AvroWireDeserializer.VALUE_TYPE, AgentEvent.class.getName());
        try (KafkaConsumer<String, AgentEvent> consumer = new KafkaConsumer<>(consumerProps)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, AgentEvent>> received = Await.records(consumer, sent.size(), Duration.ofSeconds(60));
            assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(received).allMatch(r -> r.key().equals(r.value().getAgentId()));
        }

        int registeredId = stack.registryClient().latest(WireFormat.subject(topic, false)).id();
        Map<String, Object> rawProps = stack.consumerProps(stack.uniqueName("raw"));
        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(rawProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            raw.subscribe(List.of(topic));
            assertThat(Await.records(raw, sent.size(), Duration.ofSeconds(60)))
                    .allSatisfy(r -> assertThat(WireFormat.schemaId(r.value())).isEqualTo(registeredId));
        }
    }
}
