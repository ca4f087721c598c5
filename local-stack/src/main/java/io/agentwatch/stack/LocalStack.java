package io.agentwatch.stack;

import io.agentwatch.embedded.ApicurioRegistry;
import io.agentwatch.embedded.BrokerSettings;
import io.agentwatch.embedded.EmbeddedKafkaBroker;
import io.agentwatch.embedded.Ports;
import io.agentwatch.embedded.RegistrySettings;
import io.agentwatch.embedded.StackBootstrap;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running local stack: the embedded broker ({@code <dataDir>/kafka}), the registry child process
 * ({@code <dataDir>/registry}), both on 127.0.0.1, with the DESIGN.md topics and schemas in place. Both ports are
 * checked before anything starts, the registry boots while the broker starts, and {@link #close()} stops the
 * registry first, then the broker.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafkaBroker broker;
    private final ApicurioRegistry registry;
    private final Admin admin;
    private final SchemaRegistryClient registryClient;
    private final StackBootstrap.Result bootstrap;
    private boolean closed;

    private LocalStack(EmbeddedKafkaBroker broker, ApicurioRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        this.registryClient = registry.client();
        this.bootstrap = new StackBootstrap(admin, registryClient, (short) 1).run();
    }

    /**
     * Starts the stack and bootstraps topics and schemas.
     *
     * @throws io.agentwatch.embedded.PortInUseException naming the port, before anything has started
     */
    public static LocalStack start(Path dataDir, int kafkaPort, int registryPort) {
        int kafka = Ports.requireFree(kafkaPort, "Kafka broker");
        int registryPortChecked = Ports.requireFree(registryPort, "schema registry");
        CompletableFuture<ApicurioRegistry> registry = CompletableFuture.supplyAsync(
                () -> ApicurioRegistry.start(RegistrySettings.persistent(registryPortChecked, dataDir.resolve("registry"))));
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(BrokerSettings.of(kafka, dataDir));
        } catch (RuntimeException e) {
            closeOnceStarted(registry);
            throw e;
        }
        try {
            return new LocalStack(broker, registry.join());
        } catch (CompletionException e) {
            broker.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (RuntimeException e) {
            closeOnceStarted(registry);
            broker.close();
            throw e;
        }
    }

    /** Waits for a registry that is still starting and stops it, so that a failed start leaves no process behind. */
    private static void closeOnceStarted(CompletableFuture<ApicurioRegistry> registry) {
        try {
            registry.join().close();
        } catch (CompletionException e) {
            log.debug("the schema registry had not started either: {}", e.getCause().toString());
        }
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    /** A shared Admin client for the broker; closed with the stack. */
    public Admin admin() {
        return admin;
    }

    /** A shared registry client; closed with the stack. */
    public SchemaRegistryClient registryClient() {
        return registryClient;
    }

    /** What the bootstrap found or created on this start. */
    public StackBootstrap.Result bootstrap() {
        return bootstrap;
    }

    /** Stops the registry, then the broker. Idempotent; safe from a shutdown hook. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping the local stack");
        try {
            admin.close();
            registryClient.close();
        } finally {
            try {
                registry.close();
            } finally {
                broker.close();
            }
        }
    }
}
