package io.agentwatch.schema.serde;

import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format. The schema is registered (or, with
 * {@code auto.register.schemas=false}, looked up) under the topic-name strategy subject once per topic and
 * schema; after that a record costs one encoding into a per-thread buffer and one copy. Classes with a
 * hand-written codec ({@link AgentEventCodec}) skip Avro's generic writer.
 *
 * <p>Kafka can build it by class name: {@code value.serializer=io.agentwatch.schema.serde.AvroWireSerializer}
 * with {@code schema.registry.url} and the other {@link RegistryConfig} properties.
 */
public final class AvroWireSerializer<T extends SpecificRecord> implements Serializer<T> {
    public static final String AUTO_REGISTER = "auto.register.schemas";

    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<Schema, Writer<T>> writers = new ConcurrentHashMap<>();
    private final Map<TopicSchema, Integer> ids = new ConcurrentHashMap<>();
    private volatile Cached<T> last;

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroWireSerializer() {
    }

    public AvroWireSerializer(SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
        this.registry = registry;
        this.isKey = isKey;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        Object auto = configs.get(AUTO_REGISTER);
        this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
        if (registry == null) {
            this.registry = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(configs));
            this.ownsRegistry = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroWireSerializer is not configured: no schema registry");
        }
        Schema schema = record.getSchema();
        Cached<T> hit = last;
        if (hit == null || hit.schema != schema || !hit.topic.equals(topic)) {
            hit = new Cached<>(topic, schema, schemaId(topic, schema), writer(record));
            last = hit;
        }
        Buffer buffer = BUFFERS.get();
        ByteSink sink = buffer.sink;
        sink.reset();
        sink.write(WireFormat.MAGIC_BYTE);
        sink.write(hit.id >>> 24);
        sink.write(hit.id >>> 16);
        sink.write(hit.id >>> 8);
        sink.write(hit.id);
        try {
            hit.writer.write(record, buffer);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return sink.toByteArray();
    }

    private int schemaId(String topic, Schema schema) {
        TopicSchema key = new TopicSchema(topic, schema);
        Integer id = ids.get(key);
        if (id == null) {
            String subject = WireFormat.subject(topic, isKey);
            id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
            ids.put(key, id);
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    private Writer<T> writer(T record) {
        return writers.computeIfAbsent(record.getSchema(), schema -> {
            Class<T> type = (Class<T>) record.getClass();
            RecordCodec<T> codec = RecordCodec.forClass(type);
            if (codec != null) {
                return (value, buffer) -> codec.encode(value, buffer.sink);
            }
            SpecificDatumWriter<T> datumWriter = new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
            return (value, buffer) -> {
                buffer.encoder = EncoderFactory.get().directBinaryEncoder(buffer.sink, buffer.encoder);
                datumWriter.write(value, buffer.encoder);
            };
        });
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

    private interface Writer<T> {
        void write(T record, Buffer buffer) throws IOException;
    }

    private record TopicSchema(String topic, Schema schema) {
    }

    private record Cached<T>(String topic, Schema schema, int id, Writer<T> writer) {
    }

    /** The per-thread output buffer and the Avro encoder bound to it. */
    private static final class Buffer {
        final ByteSink sink = new ByteSink(512);
        BinaryEncoder encoder;
    }
}
