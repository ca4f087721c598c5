package io.agentwatch.schema.registry;

/** Base of the errors the schema-registry client raises; each subclass is one thing a caller can act on. */
public class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        this(message, -1, -1, cause);
    }

    /** HTTP status of the registry's answer, or -1 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code of the registry's answer (e.g. 40403 schema not found), or -1. */
    public int errorCode() {
        return errorCode;
    }
}
