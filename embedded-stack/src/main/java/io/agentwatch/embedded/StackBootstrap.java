package io.agentwatch.embedded;

import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster and a registry ready for agentwatch: creates the topics of {@link TopicPlan#defaults()}, sets
 * BACKWARD compatibility on the value subjects of {@link Contracts#avroTopics()} and registers their schemas.
 * Idempotent: topics and schemas that already exist are left as they are and reported as existing, so it runs on
 * every start of the local stack and by deploy jobs alike.
 */
public final class StackBootstrap {
    public static final String COMPATIBILITY = "BACKWARD";
    private static final Logger log = LoggerFactory.getLogger(StackBootstrap.class);

    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final short replicationFactor;
    private final List<TopicPlan> topics;
    private final Duration timeout;

    public StackBootstrap(Admin admin, SchemaRegistryClient registry, short replicationFactor, List<TopicPlan> topics, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.registry = Objects.requireNonNull(registry, "registry");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, was " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
        this.topics = List.copyOf(topics);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The DESIGN.md topics and schemas with the given replication factor. */
    public StackBootstrap(Admin admin, SchemaRegistryClient registry, short replicationFactor) {
        this(admin, registry, replicationFactor, TopicPlan.defaults(), Duration.ofSeconds(60));
    }

    /** Creates what is missing and returns what it found. */
    public Result run() {
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        createTopics(created, existing);
        Map<String, Integer> schemaIds = new LinkedHashMap<>();
        for (Contracts.AvroTopic topic : Contracts.avroTopics()) {
            registry.setCompatibility(topic.subject(), COMPATIBILITY);
            int id = registry.register(topic.subject(), topic.valueSchema());
            schemaIds.put(topic.subject(), id);
        }
        Result result = new Result(List.copyOf(created), List.copyOf(existing), Map.copyOf(schemaIds));
        log.info("bootstrap: topics created {}, already there {}; subjects {}", created, existing, schemaIds.keySet());
        return result;
    }

    private void createTopics(List<String> created, List<String> existing) {
        List<NewTopic> wanted = topics.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()))
                .toList();
        CreateTopicsResult result = admin.createTopics(wanted);
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.add(entry.getKey());
                } else {
                    throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + entry.getKey() + " took longer than " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param createdTopics  topics this run created
     * @param existingTopics topics that were already there
     * @param schemaIds      registered subject to schema id
     */
    public record Result(List<String> createdTopics, List<String> existingTopics, Map<String, Integer> schemaIds) {
    }
}
