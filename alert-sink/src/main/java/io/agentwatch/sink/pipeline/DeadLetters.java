package io.agentwatch.sink.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Writes refused alerts to the dead-letter topic: key = the fingerprint, value = the original alert bytes, and
 * headers naming the receiver, the last error (already free of secrets), the attempts and where the record came
 * from. Synchronous: the caller commits the source offset only after the dead letter is acknowledged.
 */
public final class DeadLetters implements AutoCloseable {
    public static final String RECEIVER = "agentwatch.dlq.receiver";
    public static final String ERROR = "agentwatch.dlq.error";
    public static final String REASON = "agentwatch.dlq.reason";
    public static final String ATTEMPTS = "agentwatch.dlq.attempts";
    public static final String SOURCE_TOPIC = "agentwatch.dlq.source.topic";
    public static final String SOURCE_PARTITION = "agentwatch.dlq.source.partition";
    public static final String SOURCE_OFFSET = "agentwatch.dlq.source.offset";
    public static final String TIMESTAMP = "agentwatch.dlq.timestamp";
    static final int MAX_ERROR = 1000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Writes one dead letter and waits for the broker's acknowledgement; an exception when it could not. */
    public void write(String sourceTopic, int partition, long offset, byte[] key, byte[] value, String receiver, String reason,
                      String error, int attempts) throws ExecutionException, TimeoutException, InterruptedException {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        Headers h = record.headers();
        h.add(RECEIVER, bytes(receiver));
        h.add(REASON, bytes(reason));
        h.add(ERROR, bytes(error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error));
        h.add(ATTEMPTS, bytes(Integer.toString(attempts)));
        h.add(SOURCE_TOPIC, bytes(sourceTopic));
        h.add(SOURCE_PARTITION, bytes(Integer.toString(partition)));
        h.add(SOURCE_OFFSET, bytes(Long.toString(offset)));
        h.add(TIMESTAMP, bytes(Instant.now().toString()));
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
