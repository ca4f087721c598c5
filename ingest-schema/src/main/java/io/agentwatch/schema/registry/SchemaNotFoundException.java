package io.agentwatch.schema.registry;

/** The registry answered 404: no such schema id, subject or version. */
public final class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(String message, int errorCode) {
        super(message, 404, errorCode, null);
    }
}
