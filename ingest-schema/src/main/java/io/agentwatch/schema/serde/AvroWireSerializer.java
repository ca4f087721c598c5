package io.agentwatch.schema.serde;

import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.OutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format. The schema is registered (or, with
 * {@code auto.register.schemas=false}, looked up) under the topic-name strategy subject once per topic and
 * schema; after that a record costs one Avro encoding into a per-thread buffer and one copy.
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
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<TopicSchema, Integer> ids = new ConcurrentHashMap<>();
    private volatile Cached last;

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
        Cached hit = last;
        if (hit == null || hit.schema != schema || !hit.topic.equals(topic)) {
            hit = new Cached(topic, schema, schemaId(topic, schema), writer(record));
            last = hit;
        }
        Buffer buffer = BUFFERS.get();
        buffer.reset();
        buffer.write(WireFormat.MAGIC_BYTE);
        buffer.write(hit.id >>> 24);
        buffer.write(hit.id >>> 16);
        buffer.write(hit.id >>> 8);
        buffer.write(hit.id);
        try {
            buffer.encoder = EncoderFactory.get().directBinaryEncoder(buffer, buffer.encoder);
            hit.<T>writer().write(record, buffer.encoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return buffer.toByteArray();
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
    private DatumWriter<T> writer(T record) {
        return writers.computeIfAbsent(record.getSchema(), schema ->
                new SpecificDatumWriter<>(schema, SpecificData.getForClass((Class<T>) record.getClass())));
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

    private record TopicSchema(String topic, Schema schema) {
    }

    private record Cached(String topic, Schema schema, int id, DatumWriter<?> writerRaw) {
        @SuppressWarnings("unchecked")
        <T> DatumWriter<T> writer() {
            return (DatumWriter<T>) writerRaw;
        }
    }

    /** A reusable, unsynchronized, growable byte buffer (ByteArrayOutputStream locks on every byte). */
    private static final class Buffer extends OutputStream {
        BinaryEncoder encoder;
        private byte[] buf = new byte[512];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }
}
