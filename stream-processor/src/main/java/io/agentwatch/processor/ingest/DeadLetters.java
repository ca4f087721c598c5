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
    /** A short stable code: oversized-record, unknown-magic-byte, unknown-schema-id, truncated-payload, malformed-payload, incompatible-schema, invalid-field, missing-value, processing-error. */
    public static final String REASON = "agentwatch.dlq.reason";
    /** A human-readable explanation, e.g. {@code input_tokens: must be >= 0, was -5}. */
    public static final String ERROR = "agentwatch.dlq.error";
    public static final String FAILED_AT = "agentwatch.dlq.failed.at";
    /** Set only when the copy had to be cut: the original key and value sizes, {@code key=<n>,value=<n>}. */
    public static final String TRUNCATED = "agentwatch.dlq.truncated";
    /**
     * The most key and value bytes a dead-letter copy carries. An input record may be as large as the broker allows
     * (1 MB by default); its copy with our headers would then exceed the producer's default max.request.size
     * (1 MiB) and fail the task on every restart. Such a copy is cut to this size and says so in {@link #TRUNCATED}.
     */
    public static final int MAX_COPY_BYTES = 1_000_000;
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

    /** The key and value a dead-letter record carries: the originals, or their first bytes when together over {@link #MAX_COPY_BYTES}. */
    public static Copy copy(byte[] key, byte[] value) {
        int keyLength = key == null ? 0 : key.length;
        int valueLength = value == null ? 0 : value.length;
        if ((long) keyLength + valueLength <= MAX_COPY_BYTES) {
            return new Copy(key, value, null);
        }
        byte[] k = key == null ? null : java.util.Arrays.copyOf(key, Math.min(keyLength, MAX_COPY_BYTES / 2));
        int room = MAX_COPY_BYTES - (k == null ? 0 : k.length);
        byte[] v = value == null ? null : java.util.Arrays.copyOf(value, Math.min(valueLength, room));
        return new Copy(k, v, "key=" + keyLength + ",value=" + valueLength);
    }

    /** A dead-letter copy; {@code truncated} names the original sizes when it was cut, else null. */
    public record Copy(byte[] key, byte[] value, String truncated) {
        /** Adds the {@link #TRUNCATED} header when the copy was cut. */
        public void describeTruncation(Headers headers) {
            if (truncated != null) {
                add(headers, TRUNCATED, truncated);
            }
        }
    }

    /** The value of a header as text, or null. */
    public static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
