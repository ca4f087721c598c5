package io.agentwatch.gateway;

import io.agentwatch.gateway.http.EventsHandler;
import io.agentwatch.gateway.http.GatewayMetrics;
import io.agentwatch.gateway.http.TracesHandler;
import io.agentwatch.gateway.json.JsonEventReader;
import io.agentwatch.gateway.otlp.SpanMapper;
import io.agentwatch.gateway.publish.Backpressure;
import io.agentwatch.gateway.publish.EventPublisher;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.schema.serde.WireFormat;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.service.Health;
import io.agentwatch.service.OpsServer;
import io.agentwatch.service.ServiceMetrics;
import io.agentwatch.service.Settings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest gateway as an object: {@link #start} binds the HTTP server and creates the producer, {@link #close}
 * drains and stops. Runs alone ({@link IngestGatewayMain}, {@code agentwatch gateway}) or inside another JVM (the
 * demo launcher).
 *
 * <p>Routes: {@code POST /v1/traces} (OTLP/HTTP), {@code POST /v1/events} (JSON), {@code /metrics}, {@code /health},
 * {@code /ready}. Ready once the AgentEvent schema id is known and the topic's metadata was fetched, until shutdown
 * begins; Kafka going away later is answered with 503s (and counted), not with unreadiness, so that clients get a
 * Retry-After instead of a vanished endpoint.
 */
public final class IngestGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestGateway.class);
    public static final String SERVICE = "ingest-gateway";

    private final GatewayConfig config;
    private final PrometheusMeterRegistry registry;
    private final SchemaRegistryClient registryClient;
    private final EventPublisher publisher;
    private final Backpressure backpressure;
    private final OpsServer http;
    private final Thread warmUp;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean warm;
    private volatile boolean closing;

    private IngestGateway(GatewayConfig config, PrometheusMeterRegistry registry, SchemaRegistryClient registryClient,
                          Producer<String, AgentEvent> producer) {
        this.config = config;
        this.registry = registry;
        this.registryClient = registryClient;
        this.backpressure = new Backpressure(config.maxInflightBytes(), config.stallTimeout(), config.retryAfter());
        this.publisher = new EventPublisher(producer, config.topic(), backpressure);
        GatewayMetrics metrics = new GatewayMetrics(registry, backpressure);
        EventRules rules = new EventRules(config.maxFutureSkew().toMillis());
        SpanMapper mapper = new SpanMapper(config.prices(), config.attributes(), rules);
        OpsServer server;
        try {
            server = OpsServer.builder(config.host(), config.port())
                    .name("gateway-http")
                    .threads(config.threads())
                    .metrics(registry)
                    .health(() -> closing ? Health.down("STOPPING") : Health.up("UP"))
                    .ready(this::readiness)
                    .route("/v1/traces", new TracesHandler(config, backpressure, metrics, mapper, publisher), false)
                    .route("/v1/events", new EventsHandler(config, backpressure, metrics, new JsonEventReader(rules), publisher), false)
                    .start();
        } catch (RuntimeException e) {
            publisher.close(Duration.ZERO);
            registryClient.close();
            throw e;
        }
        this.http = server;
        this.warmUp = new Thread(this::warmUp, "gateway-warm-up");
        this.warmUp.setDaemon(true);
        this.warmUp.start();
    }

    /** Starts a gateway from settings ({@link GatewaySettings#ALL}); Kafka properties come from the settings' kafka.* / KAFKA_*. */
    public static IngestGateway start(Settings settings) {
        return start(GatewayConfig.from(settings, Map.of()));
    }

    public static IngestGateway start(GatewayConfig config) {
        return start(config, ServiceMetrics.create(SERVICE));
    }

    /** Starts a gateway whose meters go to the given registry (a host JVM's own, in the demo). */
    public static IngestGateway start(GatewayConfig config, PrometheusMeterRegistry registry) {
        log.info("starting the ingest gateway: {}", config);
        SchemaRegistryClient registryClient = new HttpSchemaRegistryClient(config.registry());
        Producer<String, AgentEvent> producer;
        try {
            Map<String, Object> props = new LinkedHashMap<>(config.producer());
            producer = new KafkaProducer<>(props, new StringSerializer(),
                    new AvroWireSerializer<AgentEvent>(registryClient, false, config.autoRegister()));
        } catch (RuntimeException e) {
            registryClient.close();
            throw e;
        }
        return new IngestGateway(config, registry, registryClient, producer);
    }

    /** For tests: a gateway over a given registry client and producer (a MockProducer, say). */
    static IngestGateway startWith(GatewayConfig config, PrometheusMeterRegistry registry, SchemaRegistryClient registryClient,
                                   Producer<String, AgentEvent> producer) {
        return new IngestGateway(config, registry, registryClient, producer);
    }

    /** Learns the schema id and the topic's partitions, retrying until both are known or the gateway closes. */
    private void warmUp() {
        String subject = WireFormat.subject(config.topic(), false);
        long backoffMs = 200;
        boolean warned = false;
        while (!closing) {
            try {
                int id = config.autoRegister()
                        ? registryClient.register(subject, AgentEvent.getClassSchema())
                        : registryClient.idOf(subject, AgentEvent.getClassSchema());
                int partitions = publisher.partitions();
                warm = true;
                log.info("ingest gateway ready on {}: topic {} ({} partitions), subject {} schema id {}",
                        http.baseUrl(), config.topic(), partitions, subject, id);
                return;
            } catch (RuntimeException e) {
                if (!warned) {
                    log.warn("not ready yet, retrying: cannot reach the schema registry or Kafka topic {}: {}", config.topic(), e.toString());
                    warned = true;
                } else {
                    log.debug("still not ready: {}", e.toString());
                }
            }
            try {
                if (closed.await(backoffMs, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoffMs = Math.min(backoffMs * 2, 5_000);
        }
    }

    private Health readiness() {
        if (closing || backpressure.draining()) {
            return Health.down("DRAINING");
        }
        if (!warm) {
            return Health.down("STARTING");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("topic", config.topic());
        details.put("pending_events", backpressure.pendingEvents());
        return new Health(true, "READY", details);
    }

    public boolean ready() {
        return warm && !closing;
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    public GatewayConfig config() {
        return config;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Graceful shutdown: new requests get 503 (and /ready says DRAINING), requests in flight finish (up to
     * shutdown.timeout), the producer flushes what it holds, then the HTTP server stops.
     */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        backpressure.startDraining();
        closing = true;
        log.info("ingest gateway draining: {} request(s) in flight", backpressure.inflightRequests());
        try {
            backpressure.awaitNoRequests(config.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (backpressure.inflightRequests() > 0) {
            log.warn("ingest gateway stopping with {} request(s) still in flight after {}", backpressure.inflightRequests(), config.shutdownTimeout());
        }
        long left = Math.max(0, deadline - System.nanoTime());
        publisher.close(Duration.ofNanos(left));
        http.close();
        registryClient.close();
        warmUp.interrupt();
        closed.countDown();
        log.info("ingest gateway stopped");
    }
}
