package io.agentwatch.processor.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a record on agent.events.dlq: where it came from and why it was refused. The value and key are
 * the original bytes, untouched, so the record can be fixed and replayed.
 */
public final class DeadLetters {
    public static final String SOURCE_TOPIC = "agentwatch.dlq.source.topic";
    public static final String SOURCE_PARTITION = "agentwatch.dlq.source.partition";
    public static final String SOURCE_OFFSET = "agentwatch.dlq.source.offset";
    /** A short stable code: unknown-magic-byte, unknown-schema-id, truncated-payload, malformed-payload, incompatible-schema, invalid-field, processing-error. */
    public static final String REASON = "agentwatch.dlq.reason";
    /** A human-readable explanation, e.g. {@code input_tokens: must be >= 0, was -5}. */
    public static final String ERROR = "agentwatch.dlq.error";
    public static final String FAILED_AT = "agentwatch.dlq.failed.at";
    private static final int MAX_ERROR_LENGTH = 1_000;

    private DeadLetters() {
    }

    /** The original headers plus the dead-letter headers. */
    public static Headers headers(Headers original, String topic, int partition, long offset, String reason, String error, long now) {
        Headers headers = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0] : original.toArray());
        add(headers, SOURCE_TOPIC, topic);
        add(headers, SOURCE_PARTITION, Integer.toString(partition));
        add(headers, SOURCE_OFFSET, Long.toString(offset));
        add(headers, REASON, reason);
        add(headers, ERROR, error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) + "..." : error);
        add(headers, FAILED_AT, Long.toString(now));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a header as text, or null. */
    public static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
