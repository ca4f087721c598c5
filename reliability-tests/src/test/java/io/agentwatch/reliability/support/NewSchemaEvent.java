package io.agentwatch.reliability.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * An AgentEvent written with a newer, compatible version of the schema (one extra optional field), registered
 * under the events subject: a schema id the processor has never seen. The bytes are the Confluent wire format a
 * producer on the new version would send.
 */
public final class NewSchemaEvent {
    public static final String EXTRA_FIELD = "outage_probe";

    private NewSchemaEvent() {
    }

    /** The current AgentEvent schema plus an optional string field. */
    public static Schema newerSchema() {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode schema = (ObjectNode) json.readTree(AgentEvent.getClassSchema().toString());
            ObjectNode field = json.createObjectNode();
            field.put("name", EXTRA_FIELD);
            field.set("type", json.createArrayNode().add("null").add("string"));
            field.putNull("default");
            ((ArrayNode) schema.get("fields")).add(field);
            return new Schema.Parser().parse(schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers the newer schema under {@code subject} and returns the event's wire-format bytes with its id. */
    public static byte[] encode(AgentEvent event, SchemaRegistryClient registry, String subject) {
        Schema newer = newerSchema();
        int id = registry.register(subject, newer);
        try {
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(current, null);
            new SpecificDatumWriter<>(AgentEvent.class).write(event, enc);
            enc.flush();
            GenericRecord record = new GenericDatumReader<GenericRecord>(AgentEvent.getClassSchema(), newer)
                    .read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
            record.put(EXTRA_FIELD, "written during the registry outage");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[WireFormat.HEADER_SIZE]);
            BinaryEncoder enc2 = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(newer).write(record, enc2);
            enc2.flush();
            byte[] bytes = out.toByteArray();
            WireFormat.writeHeader(bytes, id);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
