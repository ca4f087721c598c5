package io.agentwatch.sink;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.service.Health;
import io.agentwatch.service.OpsServer;
import io.agentwatch.service.ServiceMetrics;
import io.agentwatch.service.Settings;
import io.agentwatch.sink.delivery.AlertText;
import io.agentwatch.sink.delivery.AlertmanagerReceiver;
import io.agentwatch.sink.delivery.Attempt;
import io.agentwatch.sink.delivery.HttpSender;
import io.agentwatch.sink.delivery.LogReceiver;
import io.agentwatch.sink.delivery.PagerDutyReceiver;
import io.agentwatch.sink.delivery.Receiver;
import io.agentwatch.sink.delivery.Redactor;
import io.agentwatch.sink.delivery.RetryPolicy;
import io.agentwatch.sink.delivery.SlackReceiver;
import io.agentwatch.sink.delivery.WebhookReceiver;
import io.agentwatch.sink.pipeline.AlertConsumer;
import io.agentwatch.sink.pipeline.DeadLetters;
import io.agentwatch.sink.pipeline.Dispatcher;
import io.agentwatch.sink.pipeline.ReceiverLane;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import io.agentwatch.sink.routing.Route;
import io.agentwatch.sink.routing.RoutesConfig;
import io.agentwatch.sink.routing.Router;
import io.agentwatch.sink.routing.Secret;
import io.agentwatch.sink.state.ActiveAlerts;
import io.agentwatch.sink.state.AlertView;
import io.agentwatch.sink.web.AlertPage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert sink, embeddable: {@link #start()} starts the delivery consumer, the receiver lanes, the alert view and
 * the HTTP server (page, /metrics, /health, /ready); {@link #close()} stops them in order, committing what was
 * delivered. {@code AlertSinkMain} runs one as a process; the {@code agentwatch} launcher runs one inside its JVM.
 * Everything is validated in the constructor (settings, routes file, secrets), so a bad configuration stops the
 * start with a message that names the key and nothing is left running.
 */
public final class AlertSink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertSink.class);

    private final Settings settings;
    private final RoutesConfig routes;
    private final Map<String, Object> kafka;
    private final Supplier<Instant> clock;
    private final PrometheusMeterRegistry registry;
    private final SinkMetrics metrics;
    private final ActiveAlerts active;
    private final Redactor redactor;
    private final String publicUrl;

    private SchemaRegistryClient schemaRegistry;
    private DeadLetters deadLetters;
    private final Map<String, ReceiverLane> lanes = new LinkedHashMap<>();
    private AlertView view;
    private AlertConsumer consumer;
    private Thread consumerThread;
    private ScheduledExecutorService ticker;
    private OpsServer http;
    private volatile boolean started;

    /** A sink configured by the settings, reading secrets named by the routes file from the process environment. */
    public AlertSink(Settings settings) {
        this(settings, System.getenv(), Clock.systemUTC()::instant);
    }

    /**
     * @param settings the sink's settings ({@link SinkSettings#ALL})
     * @param env      where the routes file's {@code *_env} secrets are looked up
     * @param clock    wall clock for group waits, digests and Alertmanager end times
     */
    public AlertSink(Settings settings, Map<String, String> env, Supplier<Instant> clock) {
        this.settings = settings;
        this.clock = clock;
        this.routes = settings.optionalPath(SinkSettings.ROUTES_FILE)
                .map(p -> RoutesConfig.load(p, env))
                .orElseGet(() -> RoutesConfig.loadDefault(env));
        this.kafka = kafkaProperties(settings);
        // validate the typed settings now, so that a bad value stops the start before anything runs
        settings.integer(SinkSettings.HTTP_PORT, 0, 65535);
        settings.duration(SinkSettings.INHIBIT_HOLD);
        settings.duration(SinkSettings.COMMIT_INTERVAL);
        settings.duration(SinkSettings.SHUTDOWN_TIMEOUT);
        settings.integer(SinkSettings.MAX_IN_FLIGHT, 1, 1_000_000);
        settings.longValue(SinkSettings.VIEW_REBUILD, 0, Long.MAX_VALUE);
        settings.integer(SinkSettings.PAGE_RESOLVED, 1, 10_000);
        this.registry = ServiceMetrics.create("alert-sink");
        this.metrics = new SinkMetrics(registry);
        this.active = new ActiveAlerts(settings.integer(SinkSettings.PAGE_RESOLVED, 1, 10_000), 100_000);
        List<String> secrets = new ArrayList<>();
        for (ReceiverSpec spec : routes.receivers().values()) {
            spec.url().map(Secret::value).ifPresent(secrets::add);
            spec.routingKey().map(Secret::value).ifPresent(secrets::add);
        }
        settings.optional(SinkSettings.HTTP_TOKEN).ifPresent(secrets::add);
        this.redactor = new Redactor(secrets);
        this.publicUrl = settings.optional(SinkSettings.PUBLIC_URL).orElse(null);
    }

    private static Map<String, Object> kafkaProperties(Settings settings) {
        Map<String, Object> props = new HashMap<>(settings.kafka());
        settings.optional(SinkSettings.BOOTSTRAP).ifPresent(b -> props.put("bootstrap.servers", b));
        props.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
        String registryUrl = settings.string(SinkSettings.REGISTRY_URL);
        props.put(RegistryConfig.URL, registryUrl);
        try {
            RegistryConfig.fromProperties(props);
        } catch (IllegalArgumentException e) {
            throw settings.invalid(SinkSettings.REGISTRY_URL, e.getMessage());
        }
        return props;
    }

    /** Starts everything; returns once the HTTP server listens and the consumers run. */
    public synchronized AlertSink start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            log.info("alert sink starting with settings:\n{}receivers: {}", settings.describe(), describeReceivers());
            String topic = settings.string(SinkSettings.ALERTS_TOPIC);
            schemaRegistry = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(kafka));

            Map<String, Object> producerProps = clientProps();
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "agentwatch-alert-sink-dlq");
            deadLetters = new DeadLetters(new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()),
                    settings.string(SinkSettings.DLQ_TOPIC));

            OpsServer.Builder httpBuilder = OpsServer.builder(settings.string(SinkSettings.HTTP_HOST), settings.integer(SinkSettings.HTTP_PORT, 0, 65535))
                    .name("sink-http")
                    .bearerToken(settings.optional(SinkSettings.HTTP_TOKEN))
                    .metrics(registry)
                    .health(this::health)
                    .ready(this::ready);
            new AlertPage(active).register(httpBuilder);
            http = httpBuilder.start();
            AlertText text = new AlertText(publicUrl != null ? publicUrl : http.baseUrl());

            for (ReceiverSpec spec : routes.receivers().values()) {
                if (spec.type() == ReceiverSpec.Type.DIGEST) {
                    continue;
                }
                Receiver receiver = receiver(spec, text);
                ReceiverLane lane = new ReceiverLane(receiver, new RetryPolicy(spec.retry()), deadLetters, metrics);
                if (receiver instanceof AlertmanagerReceiver am) {
                    lane.periodic(spec.resendInterval(), () -> refresh(am));
                }
                lanes.put(spec.name(), lane);
            }
            Router router = routes.router();
            Dispatcher dispatcher = new Dispatcher(router, routes.receivers(), lanes, active, settings.duration(SinkSettings.INHIBIT_HOLD), clock, metrics);

            Map<String, Object> viewProps = clientProps();
            viewProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
            viewProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            viewProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            viewProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentwatch-alert-sink-view");
            view = new AlertView(new KafkaConsumer<>(viewProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    new AvroWireDeserializer<>(schemaRegistry, Alert.class), topic, active, settings.longValue(SinkSettings.VIEW_REBUILD, 0, Long.MAX_VALUE));

            Map<String, Object> consumerProps = clientProps();
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, settings.string(SinkSettings.GROUP));
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerProps.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
            consumerProps.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "agentwatch-alert-sink");
            consumer = new AlertConsumer(new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    new AvroWireDeserializer<>(schemaRegistry, Alert.class), topic, dispatcher, deadLetters, lanes.values(), metrics,
                    settings.duration(SinkSettings.COMMIT_INTERVAL), settings.integer(SinkSettings.MAX_IN_FLIGHT, 1, 1_000_000),
                    settings.duration(SinkSettings.SHUTDOWN_TIMEOUT));

            metrics.gauge("agentwatch.sink.consumer.lag", "Records of the alert topic not yet read by the delivery consumer", () -> consumer.lag());
            metrics.gauge("agentwatch.sink.alerts.in.flight", "Alert records read but not yet delivered or dead-lettered by every receiver they are routed to", () -> consumer.inFlight());
            metrics.gauge("agentwatch.sink.alerts.buffered", "Alerts waiting in the inhibition hold, group buffers and digests", dispatcher::buffered);
            for (String severity : List.of("critical", "error", "warning", "info")) {
                io.micrometer.core.instrument.Gauge.builder("agentwatch.sink.alerts.firing", active,
                                a -> a.firing().stream().filter(x -> AlertLabels.severity(x).equals(severity)).count())
                        .description("Alerts firing now, as the page shows them").tag("severity", severity).register(registry);
            }

            lanes.values().forEach(ReceiverLane::start);
            view.start();
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sink-dispatch-tick");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    dispatcher.tick();
                } catch (RuntimeException e) {
                    log.error("dispatcher tick failed", e);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            consumerThread = new Thread(consumer, "sink-consumer");
            consumerThread.start();
            log.info("alert sink started: page {} , reading {} as group {}", text.publicUrl() + "/", topic, settings.string(SinkSettings.GROUP));
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Map<String, Object> clientProps() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.keySet().removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("bearer.auth."));
        return props;
    }

    private Receiver receiver(ReceiverSpec spec, AlertText text) {
        HttpSender sender = new HttpSender(spec.timeout(), redactor, clock);
        return switch (spec.type()) {
            case PAGERDUTY -> new PagerDutyReceiver(spec, sender, text);
            case SLACK -> new SlackReceiver(spec, sender, text);
            case WEBHOOK -> new WebhookReceiver(spec, sender, text);
            case ALERTMANAGER -> new AlertmanagerReceiver(spec, sender, text, clock);
            case LOG -> new LogReceiver(spec);
            case DIGEST -> throw new IllegalArgumentException("a digest is not a receiver of its own");
        };
    }

    /** Re-posts to Alertmanager the firing alerts routed to it that no firing cascade inhibits. */
    private void refresh(AlertmanagerReceiver am) {
        Router router = routes.router();
        List<Alert> alerts = new ArrayList<>();
        List<Map<String, String>> labels = new ArrayList<>();
        for (Alert a : active.firing()) {
            Map<String, String> l = AlertLabels.of(a);
            if (a.getStatus() != AlertStatus.FIRING || active.inhibited(a)) {
                continue;
            }
            boolean routed = router.routesFor(l).stream().map(Route::receiver).anyMatch(am.name()::equals);
            if (routed) {
                alerts.add(a);
                labels.add(l);
            }
        }
        if (alerts.isEmpty()) {
            return;
        }
        Attempt a = am.send(am.refresh(alerts, labels));
        metrics.refresh(am.name(), a.ok() ? "ok" : "failed");
        if (!a.ok()) {
            log.warn("refresh of {} active alert(s) to {} failed: {}", alerts.size(), am.name(), a.error());
        }
    }

    private String describeReceivers() {
        StringBuilder s = new StringBuilder();
        for (ReceiverSpec r : routes.receivers().values()) {
            s.append(r.name()).append(" (").append(r.type().id());
            r.url().ifPresent(u -> s.append(", url ").append(u.origin().equals("routes file") ? Redactor.mask(java.net.URI.create(u.value())) : u));
            r.routingKey().ifPresent(k -> s.append(", routing key ").append(k));
            s.append(") ");
        }
        return s.toString().strip();
    }

    private Health health() {
        boolean consumerAlive = consumerThread != null && consumerThread.isAlive();
        return consumerAlive ? Health.up("UP") : new Health(false, "DOWN", Map.of("reason", "the delivery consumer is not running"));
    }

    private Health ready() {
        if (consumer == null || !consumer.assigned()) {
            return Health.down("STARTING");
        }
        if (!view.caughtUp()) {
            return new Health(false, "STARTING", Map.of("reason", "the alert view is still reading the alert topic"));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("in_flight", consumer.inFlight());
        details.put("lag", consumer.lag());
        return new Health(true, "READY", details);
    }

    /** The port the page and operations endpoints listen on (after {@link #start()}). */
    public int httpPort() {
        return http.port();
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public ActiveAlerts activeAlerts() {
        return active;
    }

    public RoutesConfig routes() {
        return routes;
    }

    /** True when ready: partitions assigned and the alert view caught up. */
    public boolean isReady() {
        return ready().up();
    }

    /** Stops polling, lets deliveries in progress finish (up to shutdown.timeout), commits, and stops everything. */
    @Override
    public synchronized void close() {
        if (consumer != null && consumerThread != null && consumerThread.isAlive()) {
            consumer.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        lanes.values().forEach(ReceiverLane::close);
        if (view != null) {
            view.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (http != null) {
            http.close();
        }
        if (schemaRegistry != null) {
            schemaRegistry.close();
        }
        registry.close();
        log.info("alert sink stopped");
    }

    /** Loads settings (environment, optional properties file, overrides) with the sink's declarations. */
    public static Settings settings(java.nio.file.Path file, Map<String, String> env, Map<String, String> overrides) {
        return Settings.load(SinkSettings.ALL, file, env, overrides);
    }
}
