package io.agentwatch.gateway.publish;

import io.agentwatch.schema.AgentEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the Kafka producer, keyed by agent_id, and tracks their acknowledgements per request in a
 * {@link PublishBatch}. The producer (idempotent, acks=all, batching and compression: see
 * {@code ProducerSettings}) serializes on the calling thread with the project's wire-format serializer.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<String, AgentEvent> producer;
    private final String topic;
    private final Backpressure backpressure;

    public EventPublisher(Producer<String, AgentEvent> producer, String topic, Backpressure backpressure) {
        this.producer = producer;
        this.topic = topic;
        this.backpressure = backpressure;
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends the events and returns at once; the batch settles as Kafka acknowledges them. When the producer refuses
     * an event at once (no metadata or a full buffer past max.block.ms, registry unreachable, closed), that event
     * and the ones after it fail with that cause and are not sent: each of them would otherwise block for
     * max.block.ms again.
     */
    public PublishBatch publish(List<AgentEvent> events) {
        PublishBatch batch = new PublishBatch(events.size(), System.nanoTime(), backpressure);
        for (int i = 0; i < events.size(); i++) {
            AgentEvent event = events.get(i);
            final int index = i;
            Throwable refused = null;
            try {
                Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, event.getAgentId(), event),
                        (metadata, exception) -> batch.settle(index, exception));
                // KafkaProducer reports some refusals (metadata timeout, record too large) through an already
                // failed future and the callback, without throwing
                if (sent.isDone()) {
                    try {
                        sent.get();
                    } catch (ExecutionException e) {
                        refused = e.getCause();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            } catch (RuntimeException e) {
                log.debug("producer refused an event: {}", e.toString());
                batch.settle(index, e);
                refused = e;
            }
            // a refusal about this record alone (too large) spares the others; anything else fails the rest
            if (refused != null && (Backpressure.isOutage(refused) || !(refused instanceof ApiException))) {
                for (int j = i + 1; j < events.size(); j++) {
                    batch.settle(j, refused);
                }
                break;
            }
        }
        return batch;
    }

    /** The topic's partition count; fetches metadata (blocking up to max.block.ms) when the producer has none. */
    public int partitions() {
        return producer.partitionsFor(topic).size();
    }

    /** Flushes what is buffered and closes the producer, waiting at most {@code timeout}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        producer.close(timeout);
    }

    Producer<String, AgentEvent> producer() {
        return producer;
    }
}
