package io.agentwatch.schema.serde;

/** The writer schema the record names cannot be read into the expected type (Avro schema resolution fails). */
public final class IncompatibleWriterSchemaException extends WireFormatException {
    private final int schemaId;

    public IncompatibleWriterSchemaException(int schemaId, String readerName, String detail) {
        super("writer schema id " + schemaId + " cannot be read as " + readerName + ": " + detail, null);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }

    @Override
    public String reason() {
        return "incompatible-schema";
    }
}
