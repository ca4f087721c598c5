package io.agentwatch.gateway.otlp;

/** A request body that is not an OTLP trace export request (HTTP 400, not retryable). */
public final class OtlpDecodeException extends Exception {
    public OtlpDecodeException(String message) {
        super(message);
    }

    public OtlpDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
