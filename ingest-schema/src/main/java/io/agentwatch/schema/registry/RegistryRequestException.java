package io.agentwatch.schema.registry;

/** The registry refused a request for a reason retrying cannot fix: bad credentials (401/403), an invalid schema (422), any other 4xx. */
public final class RegistryRequestException extends SchemaRegistryException {
    public RegistryRequestException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
