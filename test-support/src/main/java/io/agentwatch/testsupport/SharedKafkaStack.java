package io.agentwatch.testsupport;

import io.agentwatch.embedded.ApicurioRegistry;
import io.agentwatch.embedded.RegistrySettings;
import io.agentwatch.embedded.SingleNodeKafkaConfig;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link KafkaStack} of a test JVM: a single combined KRaft node from Kafka's own
 * {@link KafkaClusterTestKit} (in-process, with the single-node settings of {@link SingleNodeKafkaConfig}) and an
 * Apicurio registry child process with in-memory storage. Both start together (the registry boots while the broker
 * formats and starts) and stop on {@link #close()}, which the JUnit root store calls at the end of the run.
 */
final class SharedKafkaStack implements KafkaStack, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedKafkaStack.class);
    private static final long TOPIC_TIMEOUT_SECONDS = 60;

    private final KafkaClusterTestKit cluster;
    private final ApicurioRegistry registry;
    private final Path workDir;
    private final Admin admin;
    private final SchemaRegistryClient registryClient;
    private final AtomicLong counter = new AtomicLong();
    private boolean closed;

    private SharedKafkaStack(KafkaClusterTestKit cluster, ApicurioRegistry registry, Path workDir) {
        this.cluster = cluster;
        this.registry = registry;
        this.workDir = workDir;
        this.admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
        this.registryClient = new HttpSchemaRegistryClient(RegistryConfig.of(registry.confluentUrl()));
    }

    static SharedKafkaStack start() {
        long started = System.nanoTime();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("agentwatch-it-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the test stack", e);
        }
        CompletableFuture<ApicurioRegistry> registry = CompletableFuture.supplyAsync(
                () -> ApicurioRegistry.start(RegistrySettings.inMemory(0, workDir.resolve("registry"))));
        KafkaClusterTestKit cluster;
        try {
            cluster = startCluster();
        } catch (RuntimeException e) {
            registry.thenAccept(ApicurioRegistry::close);
            throw e;
        }
        try {
            SharedKafkaStack stack = new SharedKafkaStack(cluster, registry.join(), workDir);
            log.info("test stack up in {} ms: Kafka {}, schema registry {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    stack.bootstrapServers(), stack.registryUrl());
            return stack;
        } catch (CompletionException e) {
            closeQuietly(cluster);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static KafkaClusterTestKit startCluster() {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        SingleNodeKafkaConfig.properties().forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = null;
        try {
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the in-process Kafka test cluster: " + e, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return registry.confluentUrl();
    }

    @Override
    public SchemaRegistryClient registryClient() {
        return registryClient;
    }

    @Override
    public String uniqueName(String prefix) {
        String clean = Objects.requireNonNull(prefix, "prefix").replaceAll("[^a-zA-Z0-9._-]", "-");
        return clean + "-" + counter.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    @Override
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(TOPIC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            TopicReadiness.await(admin, List.of(name), TOPIC_TIMEOUT_SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    @Override
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(RegistryConfig.URL, registryUrl());
        return props;
    }

    @Override
    public Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = producerProps();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping the test stack");
        registryClient.close();
        admin.close();
        registry.close();
        closeQuietly(cluster);
        deleteQuietly(workDir);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("error while stopping the Kafka test cluster: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", dir, e.toString());
        }
    }
}
