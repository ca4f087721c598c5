package io.agentwatch.testsupport;

import io.agentwatch.schema.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Frames records in the Confluent wire format by hand, the way another producer with another schema would. */
final class WireBytes {
    private WireBytes() {
    }

    static byte[] frame(int schemaId, Schema writer, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, schemaId);
        out.writeBytes(header);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
