package io.agentwatch.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload that is not a valid Confluent wire-format record for the expected type. Permanent: the same bytes
 * will fail the same way, so the record belongs in a dead-letter topic. {@link #reason()} is a short stable code
 * for headers and metrics.
 */
public abstract class WireFormatException extends SerializationException {
    protected WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short, stable, lower-case code: unknown-magic-byte, unknown-schema-id, truncated-payload, ... */
    public abstract String reason();
}
