package io.agentwatch.simulator.publish;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.serde.AvroWireSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends events to a Kafka topic keyed by agent_id, values in the Confluent wire format ({@link AvroWireSerializer}),
 * with the event time as the record timestamp (so that Kafka Streams' default timestamp extractor sees event
 * time). The producer is idempotent with acks=all, lingers and batches, and compresses with lz4; any of it can be
 * overridden by the extra properties (SASL and TLS settings go there too).
 *
 * <p>Sends are asynchronous; the first failure a callback reports is kept and thrown from the next
 * {@link #send} or from {@link #flush}, so that no failure goes unnoticed.
 */
public final class KafkaEventSink implements EventSink {
    private final Producer<String, AgentEvent> producer;
    private final String topic;
    private final String where;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback callback = this::completed;

    /** For tests and callers that build their own producer. */
    public KafkaEventSink(Producer<String, AgentEvent> producer, String topic, String where) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.where = where;
    }

    /**
     * A sink with its own producer.
     *
     * @param extra more Kafka and schema-registry properties (they win over the defaults)
     */
    public static KafkaEventSink create(String bootstrapServers, String registryUrl, String topic, Map<String, ?> extra) {
        Map<String, Object> config = producerConfig(bootstrapServers, registryUrl, extra);
        AvroWireSerializer<AgentEvent> values = new AvroWireSerializer<>();
        values.configure(config, false);
        Producer<String, AgentEvent> producer = new KafkaProducer<>(config, new StringSerializer(), values);
        return new KafkaEventSink(producer, topic, "topic " + topic + " at " + bootstrapServers);
    }

    /** The producer settings: the defaults below, then the extra properties on top. */
    public static Map<String, Object> producerConfig(String bootstrapServers, String registryUrl, Map<String, ?> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(RegistryConfig.URL, registryUrl);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "agentwatch-simulator");
        if (extra != null) {
            config.putAll(extra);
        }
        return config;
    }

    @Override
    public void send(AgentEvent event) {
        Exception earlier = failure.get();
        if (earlier != null) {
            throw new PublishException("an earlier send failed: " + earlier.getMessage(), earlier);
        }
        producer.send(new ProducerRecord<>(topic, null, event.getTimestamp().toEpochMilli(), event.getAgentId(), event), callback);
    }

    private void completed(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            acknowledged.incrementAndGet();
        } else {
            failure.compareAndSet(null, exception);
        }
    }

    @Override
    public void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new PublishException("a send failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
