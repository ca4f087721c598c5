package io.agentwatch.schema.serde;

import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The wire-format serializer and deserializer of one Avro specific class, as a Kafka {@link Serde}. */
public final class AvroWireSerde<T extends SpecificRecord> implements Serde<T> {
    private final AvroWireSerializer<T> serializer;
    private final AvroWireDeserializer<T> deserializer;

    public AvroWireSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey, boolean autoRegister) {
        this.serializer = new AvroWireSerializer<>(registry, isKey, autoRegister);
        this.deserializer = new AvroWireDeserializer<>(registry, type);
    }

    /** A value serde that registers its schema on first use. */
    public static <T extends SpecificRecord> AvroWireSerde<T> forValues(SchemaRegistryClient registry, Class<T> type) {
        return new AvroWireSerde<>(registry, type, false, true);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
