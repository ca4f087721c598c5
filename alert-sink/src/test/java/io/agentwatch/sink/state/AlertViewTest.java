package io.agentwatch.sink.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.testing.Alerts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class AlertViewTest {
    private static final String TOPIC = "agent.alerts";

    @Test
    void shouldRebuildFromTheLastRecordsOfEveryPartitionAndFollowNewOnes() {
        Map<String, Alert> byKey = new ConcurrentHashMap<>();
        Deserializer<Alert> decode = (topic, bytes) -> {
            Alert a = byKey.get(new String(bytes, StandardCharsets.UTF_8));
            if (a == null) {
                throw new IllegalArgumentException("undecodable");
            }
            return a;
        };
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null), new PartitionInfo(TOPIC, 1, node, null, null)));
        consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
        consumer.updateEndOffsets(Map.of(p0, 5L, p1, 1L));
        Alert old = Alerts.firing("old", "AgentSilent", Severity.INFO, "a").build();
        Alert cascade = Alerts.firing("root", "CascadeFailure", Severity.CRITICAL, null).build();
        byKey.put("old", old);
        byKey.put("root", cascade);
        ActiveAlerts alerts = new ActiveAlerts(10, 100);
        AlertView view = new AlertView(consumer, decode, TOPIC, alerts, 2);
        consumer.schedulePollTask(() -> {
            assertThat(consumer.position(p0)).as("reads back only the last 2 records of partition 0").isEqualTo(3);
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 3, "x".getBytes(), "old".getBytes()));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 4, "x".getBytes(), "bad".getBytes()));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 0, "x".getBytes(), "root".getBytes()));
        });
        view.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(view::caughtUp);
            assertThat(alerts.firing()).extracting(Alert::getFingerprint).containsExactly("root", "old");
            assertThat(alerts.status("root")).contains(AlertStatus.FIRING);

            byKey.put("root-resolved", Alerts.resolvedOf(cascade, Instant.parse("2026-11-22T10:10:00Z")));
            consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 1, "x".getBytes(), "root-resolved".getBytes())));

            await().atMost(Duration.ofSeconds(5)).until(() -> alerts.status("root").orElseThrow() == AlertStatus.RESOLVED);
            assertThat(alerts.resolved()).extracting(Alert::getFingerprint).containsExactly("root");
        } finally {
            view.close();
        }
    }
}
