package io.agentwatch.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.Alert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AlertReaderTest {
    private static final String TOPIC = "agent.alerts";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<byte[], Alert> consumer = new MockConsumer<>("earliest");
    /** Every read of the clock moves it 50 ms on, so that the idle wait passes without real time passing. */
    private final AtomicLong nanos = new AtomicLong();

    private AlertReader reader() {
        return new AlertReader(consumer, () -> nanos.addAndGet(50_000_000L));
    }

    private void topicWithTwoPartitions(long end0, long end1) {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null), new PartitionInfo(TOPIC, 1, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
    }

    private static ConsumerRecord<byte[], Alert> record(TopicPartition tp, long offset, Alert alert) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, new byte[0], alert);
    }

    @Test
    void shouldReadEveryPartitionFromTheBeginningAndStopWhenIdle() {
        topicWithTwoPartitions(2, 1);
        Alert a = Alerts.firing("AgentSilent", 1).agent("x").build();
        Alert b = Alerts.firing("AgentSilent", 2).agent("x").resolved().build();
        Alert c = Alerts.firing("CascadeFailure", 3).trace("t").build();
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P0, 0, a));
            consumer.addRecord(record(P0, 1, b));
            consumer.addRecord(record(P1, 0, c));
        });

        AlertReader.Result result = reader().read(TOPIC, true, Duration.ofSeconds(1));

        assertThat(result.alerts()).containsExactlyInAnyOrder(a, b, c);
        assertThat(result.skipped()).isZero();
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void shouldSkipAndCountAnUndecodableRecord() {
        topicWithTwoPartitions(3, 0);
        Alert first = Alerts.firing("AgentSilent", 1).agent("x").fingerprint("1").build();
        Alert third = Alerts.firing("AgentSilent", 3).agent("y").fingerprint("3").build();
        consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 0, first)));
        consumer.schedulePollTask(() -> consumer.setPollException(new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE, P0, 1, 0L,
                TimestampType.CREATE_TIME, null, null, new RecordHeaders(), "bad magic byte", null)));
        consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 2, third)));

        AlertReader.Result result = reader().read(TOPIC, true, Duration.ofSeconds(1));

        assertThat(result.alerts()).containsExactly(first, third);
        assertThat(result.skipped()).isEqualTo(1);
    }

    @Test
    void shouldSayWhenTheTopicDoesNotExist() {
        assertThatThrownBy(() -> reader().read("nope", true, Duration.ofSeconds(1))).hasMessage("topic nope does not exist");
    }

    @Test
    void shouldReadCommittedRecordsOnlyWithoutAConsumerGroup() {
        Map<String, Object> config = AlertReader.consumerConfig("k:9092", "http://r:8081", Map.of("security.protocol", "SASL_SSL"));
        assertThat(config).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", false)
                .containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("group.id");
    }
}
