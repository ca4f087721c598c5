package io.agentwatch.schema.serde;

/** The Avro bytes do not decode with the writer schema they name (bad union index, bad length, trailing bytes). */
public final class MalformedPayloadException extends WireFormatException {
    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "malformed-payload";
    }
}
