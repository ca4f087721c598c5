package io.agentwatch.schema.serde;

import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaNotFoundException;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records into one Avro specific class, resolving whatever writer schema the
 * record names (older or newer, as long as it is compatible) into the current class.
 *
 * <p>One decoder is built per writer schema id, the first time the id is seen, after checking that the writer
 * schema can be read into the class: a hand-written codec ({@link AgentEventCodec}) when the writer schema has
 * exactly the class's layout, Avro's resolving {@link DatumReader} otherwise. After that a record costs one header
 * check, one cache lookup and one decode into a fresh object. Known ids never touch the registry again, so a registry outage does not stop
 * records whose schema is known. Errors are typed: {@link UnknownMagicByteException},
 * {@link UnknownSchemaIdException}, {@link TruncatedPayloadException}, {@link MalformedPayloadException},
 * {@link IncompatibleWriterSchemaException} (all permanent), and
 * {@link io.agentwatch.schema.registry.RegistryUnavailableException} (transient: retry, do not dead-letter).
 * A record is either returned whole or not at all.
 */
public final class AvroWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    public static final String VALUE_TYPE = "specific.avro.value.type";
    public static final String KEY_TYPE = "specific.avro.key.type";

    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();
    /**
     * How many unknown schema ids are remembered as unknown. A stream of records with random ids (garbage that
     * happens to start with a zero byte) would otherwise grow the cache without bound; past this many, an unknown id
     * is looked up again each time (one registry request per such record) instead of filling the heap.
     */
    static final int MAX_UNKNOWN_IDS = 1_000;

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private final Map<Integer, Object> readers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger unknownIds = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ReaderEntry<T> last;

    /** For Kafka's reflective construction; {@link #configure} must follow and name the type. */
    public AvroWireDeserializer() {
    }

    public AvroWireDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = Objects.requireNonNull(registry, "registry");
        setType(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (type == null) {
            Object name = configs.get(isKey ? KEY_TYPE : VALUE_TYPE);
            if (name == null) {
                throw new IllegalArgumentException("missing required setting " + (isKey ? KEY_TYPE : VALUE_TYPE)
                        + " (the Avro specific class to read into, e.g. io.agentwatch.schema.AgentEvent)");
            }
            try {
                setType((Class<T>) (name instanceof Class<?> c ? c : Class.forName(name.toString())));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException((isKey ? KEY_TYPE : VALUE_TYPE) + ": no such class " + name, e);
            }
        }
        if (registry == null) {
            this.registry = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(configs));
            this.ownsRegistry = true;
        }
    }

    private void setType(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(data);
        ReaderEntry<T> entry = last;
        if (entry == null || entry.id != id) {
            entry = new ReaderEntry<>(id, decoder(id));
            last = entry;
        }
        return entry.decoder.decode(data, id);
    }

    /** Decodes the record after the header of a wire-format payload. */
    private interface PayloadDecoder<T> {
        T decode(byte[] data, int schemaId);
    }

    /** Avro's resolving reader: any compatible writer schema. */
    private static <T> PayloadDecoder<T> resolving(DatumReader<T> reader) {
        return (data, id) -> {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, DECODERS.get());
            DECODERS.set(decoder);
            T record;
            try {
                record = reader.read(null, decoder);
            } catch (EOFException e) {
                throw new TruncatedPayloadException("payload of " + data.length + " bytes ends inside the Avro record (writer schema id " + id + ")", e);
            } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException | ClassCastException
                     | IllegalArgumentException | NullPointerException e) {
                throw new MalformedPayloadException("Avro bytes do not decode with writer schema id " + id + ": " + e, e);
            }
            try {
                if (!decoder.isEnd()) {
                    throw new MalformedPayloadException("payload has bytes left after the Avro record: it does not match writer schema id " + id, null);
                }
            } catch (IOException e) {
                throw new MalformedPayloadException("cannot check the end of the payload: " + e, e);
            }
            return record;
        };
    }

    /** The hand-written codec: only for a writer schema with exactly the codec's layout. */
    private static <T> PayloadDecoder<T> direct(RecordCodec<T> codec) {
        return (data, id) -> codec.decode(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    }

    @SuppressWarnings("unchecked")
    private PayloadDecoder<T> decoder(int id) {
        Object cached = readers.get(id);
        if (cached == null) {
            cached = buildDecoder(id);
            if (!(cached instanceof UnknownSchemaIdException) || unknownIds.incrementAndGet() <= MAX_UNKNOWN_IDS) {
                readers.put(id, cached);
            }
        }
        if (cached instanceof WireFormatException e) {
            throw e;
        }
        return (PayloadDecoder<T>) cached;
    }

    /** A decoder for the id, or the permanent error it will always give (cached, so a bad id costs one lookup). */
    private Object buildDecoder(int id) {
        if (registry == null || type == null) {
            throw new IllegalStateException("AvroWireDeserializer is not configured: no registry or no type");
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaNotFoundException e) {
            return new UnknownSchemaIdException(id, e);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return new IncompatibleWriterSchemaException(id, readerSchema.getFullName(), compatibility.getDescription());
        }
        RecordCodec<T> codec = RecordCodec.forClass(type);
        if (codec != null && RecordCodec.sameLayout(writer, readerSchema)) {
            return direct(codec);
        }
        return resolving(new SpecificDatumReader<T>(writer, readerSchema, model));
    }

    /** Schema ids cached (decoders and permanent errors); for tests. */
    int cachedIds() {
        return readers.size();
    }

    /** The class this deserializer reads into. */
    public Class<T> type() {
        return type;
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

    private record ReaderEntry<T>(int id, PayloadDecoder<T> decoder) {
    }
}
