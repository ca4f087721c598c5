package io.agentwatch.schema.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that agentwatch uses. Implementations cache: a schema id,
 * once known, never needs the registry again, so records with known ids keep flowing through a registry outage.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (or finds it already registered) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject; {@link SchemaNotFoundException} if it is not. */
    int idOf(String subject, Schema schema);

    /** The writer schema with this global id; {@link SchemaNotFoundException} if the registry has none. */
    Schema schemaById(int id);

    /** The latest version registered under the subject. */
    RegisteredSchema latest(String subject);

    /** Whether the schema could be registered under the subject without breaking its compatibility rule. */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, and the _TRANSITIVE forms). */
    void setCompatibility(String subject, String level);

    /** Sets the registry-wide default compatibility level. */
    void setGlobalCompatibility(String level);

    /** The subject's compatibility level, or the global default when the subject has none. */
    String compatibility(String subject);

    /** All subjects. */
    List<String> subjects();

    @Override
    void close();

    /** A schema as the registry holds it. */
    record RegisteredSchema(String subject, int id, int version, Schema schema) {
    }
}
