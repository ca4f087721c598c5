package io.agentwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTopicsRecordsAndClusterIdAcrossARestart() throws Exception {
        String firstClusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            firstClusterId = broker.clusterId();
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            assertThat(broker.clusterId()).isEqualTo(firstClusterId);
            try (Admin admin = admin(broker)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
            }
            assertThat(readAll(broker, "kept", 3)).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("v0", "v1", "v2");
        }
    }

    @Test
    void shouldCommitTransactionsOnASingleNode() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            try (KafkaProducer<String, String> producer = producer(broker, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "k", "committed"));
                producer.commitTransaction();
            }
            assertThat(readAll(broker, "tx", 1)).extracting(ConsumerRecord::value).containsExactly("committed");
        }
    }

    @Test
    void shouldRefuseASecondBrokerOnADataDirectoryInUse() {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(BrokerSettings.of(0, dataDir)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dataDir.toAbsolutePath().toString())
                    .hasMessageContaining("in use");
            assertThat(first.clusterId()).isNotBlank();
        }
    }

    @Test
    void shouldNameTheClientPortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(BrokerSettings.of(port, dataDir)))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.service()).isEqualTo("Kafka broker");
                    })
                    .hasMessageContaining(String.valueOf(port));
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker broker, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }
}
