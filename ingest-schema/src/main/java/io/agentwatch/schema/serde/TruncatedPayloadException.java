package io.agentwatch.schema.serde;

/** The payload ends before the header or the Avro record does. */
public final class TruncatedPayloadException extends WireFormatException {
    public TruncatedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "truncated-payload";
    }
}
