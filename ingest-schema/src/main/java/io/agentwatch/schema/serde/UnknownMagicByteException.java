package io.agentwatch.schema.serde;

/** The first byte is not the Confluent wire format's magic byte 0: the record was not written by a wire-format serializer. */
public final class UnknownMagicByteException extends WireFormatException {
    public UnknownMagicByteException(int magic) {
        super("unknown magic byte 0x" + Integer.toHexString(magic & 0xff) + " (expected 0x00): not Confluent wire format", null);
    }

    @Override
    public String reason() {
        return "unknown-magic-byte";
    }
}
