package io.agentwatch.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.gateway.testing.InMemorySchemaRegistry;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.serde.AvroWireSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    private final Backpressure bp = new Backpressure(1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(5));
    private final MockProducer<String, AgentEvent> producer = new MockProducer<>(false, null, new StringSerializer(),
            new AvroWireSerializer<>(new InMemorySchemaRegistry(), false, true));
    private final EventPublisher publisher = new EventPublisher(producer, "agent.events", bp);

    static AgentEvent event(String agentId, String eventId) {
        return AgentEvent.newBuilder().setEventId(eventId).setTimestamp(Instant.parse("2026-01-15T10:00:00Z"))
                .setAgentId(agentId).setOperation(Operation.CHAT).setStatus(Status.OK).setAttributes(Map.of()).build();
    }

    @Test
    void shouldSendEachEventKeyedByAgentIdToTheTopicAndSettleWhenKafkaAcknowledges() throws Exception {
        PublishBatch batch = publisher.publish(List.of(event("agent-a", "e1"), event("agent-b", "e2")));

        assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent.events", "agent-a"),
                        org.assertj.core.groups.Tuple.tuple("agent.events", "agent-b"));
        assertThat(batch.await(10, TimeUnit.MILLISECONDS)).as("not settled before the acknowledgements").isFalse();
        assertThat(bp.pendingEvents()).isEqualTo(2);

        producer.completeNext();
        producer.completeNext();

        assertThat(batch.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(batch.acknowledgedCount()).isEqualTo(2);
        assertThat(batch.failedCount()).isZero();
        assertThat(bp.pendingEvents()).isZero();
    }

    @Test
    void shouldTellWhichEventsFailed() throws Exception {
        PublishBatch batch = publisher.publish(List.of(event("a", "e1"), event("a", "e2"), event("a", "e3")));
        producer.completeNext();
        producer.errorNext(new NetworkException("broker gone"));
        producer.completeNext();

        assertThat(batch.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(batch.acknowledged(0)).isTrue();
        assertThat(batch.acknowledged(1)).isFalse();
        assertThat(batch.error(1)).isInstanceOf(NetworkException.class);
        assertThat(batch.acknowledged(2)).isTrue();
        assertThat(bp.checkState()).as("a network failure starts the failure hold").isEqualTo(Backpressure.Decision.KAFKA_FAILING);
    }

    @Test
    void shouldFailTheRestOfTheBatchWhenTheProducerRefusesSynchronously() throws Exception {
        producer.close();
        PublishBatch batch = publisher.publish(List.of(event("a", "e1"), event("a", "e2")));
        assertThat(batch.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(batch.failedCount()).isEqualTo(2);
        assertThat(batch.firstError()).isInstanceOf(IllegalStateException.class);
        assertThat(bp.pendingEvents()).isZero();
    }

    @Test
    void shouldNotSendTheRestOfABatchWhenTheProducerFailsAnEventAtOnceWithoutThrowing() throws Exception {
        // KafkaProducer.send reports a metadata timeout (after blocking max.block.ms) through the callback and an
        // already failed future; sending the rest would block that long again for every event
        AtomicInteger sends = new AtomicInteger();
        MockProducer<String, AgentEvent> noMetadata = new MockProducer<>(false, null, new StringSerializer(),
                new AvroWireSerializer<>(new InMemorySchemaRegistry(), false, true)) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, AgentEvent> record, Callback callback) {
                sends.incrementAndGet();
                TimeoutException e = new TimeoutException("Topic agent.events not present in metadata after 1000 ms.");
                callback.onCompletion(null, e);
                CompletableFuture<RecordMetadata> failed = new CompletableFuture<>();
                failed.completeExceptionally(e);
                return failed;
            }
        };
        PublishBatch batch = new EventPublisher(noMetadata, "agent.events", bp)
                .publish(List.of(event("a", "e1"), event("a", "e2"), event("a", "e3")));

        assertThat(sends).hasValue(1);
        assertThat(batch.await(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(batch.failedCount()).isEqualTo(3);
        assertThat(bp.checkState()).isEqualTo(Backpressure.Decision.KAFKA_FAILING);
    }

    @Test
    void shouldKeepSendingTheOthersWhenOneRecordAloneIsRefused() throws Exception {
        AtomicInteger sends = new AtomicInteger();
        MockProducer<String, AgentEvent> picky = new MockProducer<>(true, null, new StringSerializer(),
                new AvroWireSerializer<>(new InMemorySchemaRegistry(), false, true)) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, AgentEvent> record, Callback callback) {
                if (sends.incrementAndGet() == 1) {
                    RecordTooLargeException e = new RecordTooLargeException("too large");
                    callback.onCompletion(null, e);
                    CompletableFuture<RecordMetadata> failed = new CompletableFuture<>();
                    failed.completeExceptionally(e);
                    return failed;
                }
                return super.send(record, callback);
            }
        };
        PublishBatch batch = new EventPublisher(picky, "agent.events", bp).publish(List.of(event("a", "e1"), event("a", "e2")));
        assertThat(sends).hasValue(2);
        assertThat(batch.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(batch.acknowledged(0)).isFalse();
        assertThat(batch.acknowledged(1)).isTrue();
    }

    @Test
    void shouldSettleAnEmptyBatchAtOnce() throws Exception {
        assertThat(publisher.publish(List.of()).await(0, TimeUnit.MILLISECONDS)).isTrue();
    }
}
