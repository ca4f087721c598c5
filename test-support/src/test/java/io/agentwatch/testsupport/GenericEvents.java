package io.agentwatch.testsupport;

import io.agentwatch.schema.AgentEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** Turns a current AgentEvent into a generic record of another schema version, as a producer on that version would hold it. */
final class GenericEvents {
    private GenericEvents() {
    }

    /** The event's values for every field the target schema shares with the current one; the target's other fields stay unset. */
    static GenericData.Record as(Schema target, AgentEvent event) {
        GenericRecord current = toGeneric(event);
        GenericData.Record out = new GenericData.Record(target);
        for (Schema.Field field : target.getFields()) {
            if (AgentEvent.getClassSchema().getField(field.name()) != null) {
                out.put(field.name(), current.get(field.name()));
            }
        }
        return out;
    }

    private static GenericRecord toGeneric(AgentEvent event) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<AgentEvent>(AgentEvent.class).write(event, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(AgentEvent.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
