package io.agentwatch.schema.serde;

/** The 4-byte schema id names no schema the registry knows. */
public final class UnknownSchemaIdException extends WireFormatException {
    private final int schemaId;

    public UnknownSchemaIdException(int schemaId, Throwable cause) {
        super("unknown schema id " + schemaId + ": the registry has no such schema", cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }

    @Override
    public String reason() {
        return "unknown-schema-id";
    }
}
