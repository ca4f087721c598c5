package io.agentwatch.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaStackExtensionIT {
    static KafkaStack staticStack;
    KafkaStack instanceStack;

    @Test
    void shouldHandTheSameSharedStackToParametersAndFields(KafkaStack stack) {
        assertThat(staticStack).isSameAs(stack);
        assertThat(instanceStack).isSameAs(stack);
        assertThat(stack.registryUrl()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
        assertThat(stack.registryClient().subjects()).isNotNull();
    }

    @Test
    void shouldGiveUniqueNamesThatAreValidTopicNames(KafkaStack stack) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            names.add(stack.uniqueName("my topic/with:odd chars"));
        }
        assertThat(names).hasSize(1_000).allMatch(n -> n.matches("[a-zA-Z0-9._-]+"));
    }

    @Test
    void shouldCreateTopicsWithPartitionsAndConfigsAndCarryRecords(KafkaStack stack) throws Exception {
        String topic = stack.uniqueName("compacted");
        stack.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));

        assertThat(stack.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()).hasSize(3);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        assertThat(stack.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get("cleanup.policy").value())
                .isEqualTo("compact");

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(stack.producerProps(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "hello")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(stack.consumerProps(stack.uniqueName("group")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            assertThat(Await.records(consumer, 1, Duration.ofSeconds(60))).extracting(ConsumerRecord::value).containsExactly("hello");
        }
    }
}
