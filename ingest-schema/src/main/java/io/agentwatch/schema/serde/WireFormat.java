package io.agentwatch.schema.serde;

/**
 * The Confluent wire format: magic byte 0, the schema's global id as a 4-byte big-endian int, then the Avro
 * binary encoding of the record.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The schema id in the header, after checking the magic byte and the length. */
    public static int schemaId(byte[] data) {
        if (data.length < 1) {
            throw new TruncatedPayloadException("empty payload: no wire-format header", null);
        }
        if (data[0] != MAGIC_BYTE) {
            throw new UnknownMagicByteException(data[0]);
        }
        if (data.length < HEADER_SIZE) {
            throw new TruncatedPayloadException("payload of " + data.length + " bytes is shorter than the 5-byte wire-format header", null);
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }

    /** Writes the header for a schema id into the first five bytes of the buffer. */
    public static void writeHeader(byte[] buffer, int schemaId) {
        buffer[0] = MAGIC_BYTE;
        buffer[1] = (byte) (schemaId >>> 24);
        buffer[2] = (byte) (schemaId >>> 16);
        buffer[3] = (byte) (schemaId >>> 8);
        buffer[4] = (byte) schemaId;
    }

    /** The subject of a topic under the topic-name strategy: {@code <topic>-value} or {@code <topic>-key}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
