package io.agentwatch.testsupport;

import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real Kafka broker and a real schema registry (Confluent REST API) for integration tests, shared by every test
 * class of one test JVM. Tests keep out of each other's way by naming their topics, application ids and groups
 * with {@link #uniqueName(String)}. Obtain it with {@link KafkaStackExtension}.
 */
public interface KafkaStack {

    /** The broker's bootstrap servers, {@code host:port}. */
    String bootstrapServers();

    /** The registry's Confluent-compatible base URL ({@code http://127.0.0.1:<port>/apis/ccompat/v7}). */
    String registryUrl();

    /** A registry client for {@link #registryUrl()}, shared; do not close it. */
    SchemaRegistryClient registryClient();

    /** A name no other call in this JVM returns: {@code <prefix>-<counter>-<random>}, valid as a topic, group or application id. */
    String uniqueName(String prefix);

    /** Creates a topic with replication factor 1 and waits for it. */
    void createTopic(String name, int partitions);

    /** Creates a topic with replication factor 1 and the given topic configs, and waits for it. */
    void createTopic(String name, int partitions, Map<String, String> configs);

    /** Fresh, mutable producer properties: bootstrap servers and {@code schema.registry.url}; no serializers. */
    Map<String, Object> producerProps();

    /** Fresh, mutable consumer properties: bootstrap servers, {@code schema.registry.url}, the group, earliest offset reset. */
    Map<String, Object> consumerProps(String groupId);

    /** An Admin client for the broker, shared; do not close it. */
    Admin admin();
}
