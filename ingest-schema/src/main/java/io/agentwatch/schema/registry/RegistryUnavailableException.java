package io.agentwatch.schema.registry;

/**
 * The registry could not be reached or kept answering 5xx after the retry budget. Transient: the caller
 * should wait and retry, never treat the record it was decoding as malformed.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {
    public RegistryUnavailableException(String message, int httpStatus, Throwable cause) {
        super(message, httpStatus, -1, cause);
    }
}
