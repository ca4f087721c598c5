package io.agentwatch.processor.ingest;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.RegistryUnavailableException;
import io.agentwatch.schema.serde.WireFormatException;
import io.agentwatch.schema.validation.AgentEventValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of the topology: decodes each input record into an {@link AgentEvent}, checks it, and routes it.
 * A record that is not a valid event (larger than {@code maxEventBytes}, bad magic byte, unknown schema id,
 * truncated or malformed Avro, a writer schema that cannot be read, a missing or absurd timestamp, negative tokens
 * or latency, ...) goes to the
 * dead-letter topic with its original bytes and headers naming the source and the reason; processing continues.
 * A valid event keeps its place when the record is keyed by its agent_id and sits on the partition the default
 * partitioner gives that key; otherwise it is re-keyed by agent_id (through a repartition topic), so per-agent
 * state is right whatever key the producer used.
 *
 * <p>A schema registry outage is not a poison pill: decoding a record whose schema id is not yet cached waits and
 * retries up to {@code registryMaxWait}, then throws {@link RegistryOutageException}, which fails the task (a new
 * stream thread restarts it from its last commit), so the record is processed once the registry is back and is
 * never dead-lettered for it.
 */
public final class DecodeEventsProcessor implements Processor<byte[], byte[], String, Ingested> {
    private static final Logger log = LoggerFactory.getLogger(DecodeEventsProcessor.class);

    private final Deserializer<AgentEvent> deserializer;
    private final AgentEventValidator validator;
    private final int inputPartitions;
    private final Duration registryMaxWait;
    private final int maxEventBytes;
    private final ProcessorMetrics metrics;
    private ProcessorContext<String, Ingested> context;

    public DecodeEventsProcessor(Deserializer<AgentEvent> deserializer, AgentEventValidator validator, int inputPartitions,
                                 Duration registryMaxWait, int maxEventBytes, ProcessorMetrics metrics) {
        this.deserializer = deserializer;
        this.validator = validator;
        this.inputPartitions = inputPartitions;
        this.registryMaxWait = registryMaxWait;
        this.maxEventBytes = maxEventBytes;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Ingested> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] value = record.value();
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
        if (value == null) {
            deadLetter(record, "missing-value", "the record has no value (a tombstone on the events topic)");
            return;
        }
        if (value.length > maxEventBytes) {
            deadLetter(record, "oversized-record", "the record's value is " + value.length + " bytes, more than events.max-bytes ("
                    + maxEventBytes + "); not decoded");
            return;
        }
        AgentEvent event;
        try {
            event = decode(topic, value);
        } catch (WireFormatException e) {
            deadLetter(record, e.reason(), e.getMessage());
            return;
        }
        AgentEventValidator.Violation violation = validator.check(event, context.currentSystemTimeMs());
        if (violation != null) {
            deadLetter(record, "invalid-field", violation.message());
            return;
        }
        String agentId = event.getAgentId();
        long timestamp = event.getTimestamp().toEpochMilli();
        Ingested routed;
        if (isKeyedByAgent(record.key(), agentId)) {
            routed = Ingested.keyed(event);
        } else {
            routed = Ingested.rekey(event);
            metrics.eventsRekeyed(1);
        }
        context.forward(new Record<>(agentId, routed, timestamp, record.headers()));
    }

    private AgentEvent decode(String topic, byte[] value) {
        long deadline = 0;
        long backoff = 100;
        while (true) {
            try {
                return deserializer.deserialize(topic, value);
            } catch (RegistryUnavailableException e) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + registryMaxWait.toNanos();
                    log.warn("schema registry unavailable while decoding a record with a new schema id; retrying for up to {}: {}",
                            registryMaxWait, e.getMessage());
                }
                if (now >= deadline) {
                    throw new RegistryOutageException("schema registry unavailable for " + registryMaxWait
                            + "; failing the task so that a new stream thread retries it from the last commit (the record is not lost)", e);
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RegistryOutageException("interrupted while waiting for the schema registry", ie);
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** Keyed by its agent_id (UTF-8) and on the partition the default partitioner gives that key. */
    private boolean isKeyedByAgent(byte[] key, String agentId) {
        if (key == null || !utf8Equals(key, agentId)) {
            return false;
        }
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(0);
        return inputPartitions <= 1 || Utils.toPositive(Utils.murmur2(key)) % inputPartitions == partition;
    }

    /** Whether the bytes are the UTF-8 encoding of the string, without allocating for ASCII strings. */
    static boolean utf8Equals(byte[] bytes, String s) {
        int n = s.length();
        if (bytes.length < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return Arrays.equals(bytes, s.getBytes(StandardCharsets.UTF_8));
            }
            if (bytes[i] != (byte) c) {
                return false;
            }
        }
        return bytes.length == n;
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, String error) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "?" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        metrics.deadLettered(reason);
        log.debug("dead-lettering {}-{}@{}: {}: {}", topic, partition, offset, reason, error);
        DeadLetters.Copy copy = DeadLetters.copy(record.key(), record.value());
        org.apache.kafka.common.header.Headers headers = DeadLetters.headers(record.headers(), topic, partition, offset, reason, error,
                context.currentSystemTimeMs());
        copy.describeTruncation(headers);
        context.forward(new Record<String, Ingested>(null, Ingested.deadLetter(copy.key(), copy.value()), record.timestamp(), headers));
    }
}
