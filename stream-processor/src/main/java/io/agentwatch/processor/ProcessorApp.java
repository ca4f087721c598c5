package io.agentwatch.processor;

import io.agentwatch.processor.detect.AgentRulesSettings;
import io.agentwatch.processor.detect.DetectorSettings;
import io.agentwatch.processor.detect.StateViews;
import io.agentwatch.processor.query.KafkaStreamsStores;
import io.agentwatch.processor.query.QueryRoutes;
import io.agentwatch.processor.query.StateQueries;
import io.agentwatch.processor.state.BoundedMemoryRocksDb;
import io.agentwatch.processor.topology.AgentwatchTopology;
import io.agentwatch.processor.topology.Topics;
import io.agentwatch.processor.topology.TopologySettings;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Health;
import io.agentwatch.service.OpsServer;
import io.agentwatch.service.ServiceMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stream processor: the topology on a {@link KafkaStreams} client, its metrics and its HTTP endpoints.
 * Embeddable (the demo runs it inside the launcher's JVM) and closeable. An uncaught exception stops the client
 * (state ERROR, {@code /health} 503) so that Kubernetes, or the command, restarts it from its last commit; state
 * is never wiped on start.
 */
public final class ProcessorApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);

    private final ProcessorConfig config;
    private final KafkaStreams streams;
    private final OpsServer http;
    private final KafkaStreamsMetrics streamsMetrics;
    private final SchemaRegistryClient registry;
    private final StopWatchdog stop;

    private ProcessorApp(ProcessorConfig config, KafkaStreams streams, OpsServer http, KafkaStreamsMetrics streamsMetrics, SchemaRegistryClient registry) {
        this.config = config;
        this.streams = streams;
        this.http = http;
        this.streamsMetrics = streamsMetrics;
        this.registry = registry;
        this.stop = StopWatchdog.system(config.closeTimeout());
    }

    /** Checks the cluster, builds the topology and starts everything; a wrong setting or a missing topic stops it here. */
    public static ProcessorApp start(ProcessorConfig config) {
        log.info("starting the agentwatch processor: {}", config);
        int partitions = describeTopics(config);
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(config.registry());
        SchemaWarmUp.run(registry, config);
        Topics topics = Topics.of(config.eventsTopic(), config.alertsTopic(), config.eventsDeadLetterTopic(), config.rulesTopic(),
                config.controlTopic(), registry);
        Set<Integer> windows = new TreeSet<>(config.rules().windowMinutes());
        for (int w : config.extraWindows()) {
            windows.add(w);
        }
        TopologySettings settings = new TopologySettings(partitions, config.maxFutureSkew(), config.registryMaxWait(),
                new AgentRulesSettings(config.grace(), config.evaluationInterval(), windows.stream().mapToInt(Integer::intValue).toArray(),
                        config.liveScopes(), config.baselineWarmup(), config.baselineHalfLife()),
                new DetectorSettings(config.liveSessions(), config.liveTraces(), config.liveScopes(), config.evaluationInterval(),
                        Duration.ofSeconds(1)),
                config.controlEnabled(),
                TopologySettings.StoreKind.ROCKSDB,
                config.maxEventBytes());
        PrometheusMeterRegistry meters = ServiceMetrics.create("stream-processor");
        ProcessorMetrics metrics = new ProcessorMetrics(meters);
        Topology topology = AgentwatchTopology.build(topics, config.rules(), settings, metrics);
        log.info("topology:\n{}", topology.describe());

        Properties props = StreamsProperties.of(config);
        KafkaStreams streams = new KafkaStreams(topology, props);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        Gauge.builder("agentwatch.rocksdb.memory.used", BoundedMemoryRocksDb::usedBytes).baseUnit("bytes")
                .description("RocksDB budget in use (rocksdb.memory): block cache plus the memtables charged to it").register(meters);
        Gauge.builder("agentwatch.rocksdb.memory.pinned", BoundedMemoryRocksDb::pinnedBytes).baseUnit("bytes")
                .description("RocksDB block cache pinned by iterators and pinned index and filter blocks").register(meters);
        OpsServer[] httpHolder = new OpsServer[1];
        ProcessorApp[] appHolder = new ProcessorApp[1];
        StateQueries queries = new StateQueries(new StateViews(config.rules(), config.baselineWarmup()),
                settings.agentRules().windowMinutes(), new KafkaStreamsStores(streams));
        OpsServer.Builder httpBuilder = OpsServer.builder(config.httpHost(), config.httpPort())
                .name("processor-http")
                .bearerToken(config.httpToken())
                .metrics(meters)
                .health(() -> appHolder[0] == null ? Health.up("STARTING") : appHolder[0].health())
                .ready(() -> appHolder[0] == null ? Health.down("STARTING") : appHolder[0].readiness());
        OpsServer http = new QueryRoutes(streams, queries, config.applicationServer(), config.httpToken()).register(httpBuilder).start();
        httpHolder[0] = http;
        ProcessorApp app = new ProcessorApp(config, streams, http, streamsMetrics, registry);
        appHolder[0] = app;
        streams.setUncaughtExceptionHandler(new StreamThreadFailures(System::currentTimeMillis, app.stop::failed));
        streams.setGlobalStateRestoreListener(new RestoreLog());
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                app.stop.stopped();
            }
        });
        streams.start();
        log.info("processor started: reading {} ({} partitions), writing {}; HTTP on {}", config.eventsTopic(), partitions,
                config.alertsTopic(), http.baseUrl());
        return app;
    }

    private static int describeTopics(ProcessorConfig config) {
        Map<String, Object> adminProps = new java.util.HashMap<>(config.kafka());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        adminProps.remove("schema.registry.url");
        List<String> required = new ArrayList<>(List.of(config.eventsTopic(), config.alertsTopic(), config.eventsDeadLetterTopic(), config.rulesTopic()));
        if (config.controlEnabled()) {
            required.add(config.controlTopic());
        }
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>();
            for (String t : required) {
                if (!existing.contains(t)) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                throw new ConfigException("topics " + missing + " do not exist on " + config.bootstrapServers()
                        + ": create them (`./agentwatch up` does, the k8s manifests do) or point events.topic/alerts.topic/events.dlq.topic/rules.topic/control.topic at existing ones");
            }
            TopicDescription events = admin.describeTopics(List.of(config.eventsTopic())).allTopicNames().get(30, TimeUnit.SECONDS).get(config.eventsTopic());
            return events.partitions().size();
        } catch (TimeoutException e) {
            throw new ConfigException("cannot reach Kafka at " + config.bootstrapServers() + " within 30s: check bootstrap.servers and the security settings", e);
        } catch (ExecutionException e) {
            throw new ConfigException("cannot inspect the topics on " + config.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics", e);
        }
    }

    Health health() {
        KafkaStreams.State state = streams.state();
        boolean up = state != KafkaStreams.State.ERROR && !stop.hasFailed();
        return new Health(up, state.name(), Map.of("threads", streams.metadataForLocalThreads().size()));
    }

    Health readiness() {
        KafkaStreams.State state = streams.state();
        return new Health(state == KafkaStreams.State.RUNNING, state.name(), Map.of());
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String httpUrl() {
        return http.baseUrl();
    }

    public ProcessorConfig config() {
        return config;
    }

    /**
     * Waits until the client stops (by close or by failure); true if it failed. Returns also when Kafka Streams has not
     * stopped within the close timeout of a failure ({@link StopWatchdog}), so that the process exits and is restarted.
     */
    public boolean awaitStop() throws InterruptedException {
        boolean failed = stop.await();
        if (!stop.isStopped()) {
            log.error("Kafka Streams has not stopped within {} of the failure (state {}); exiting anyway", config.closeTimeout(), streams.state());
        }
        return failed;
    }

    public boolean failed() {
        return stop.hasFailed();
    }

    @Override
    public void close() {
        log.info("stopping the processor (up to {})", config.closeTimeout());
        boolean clean = streams.close(config.closeTimeout());
        if (!clean) {
            log.warn("Kafka Streams did not stop within {}", config.closeTimeout());
        }
        streamsMetrics.close();
        http.close();
        registry.close();
        stop.stopped();
    }

    /** How long a caller should wait for {@link #close()}. */
    public Duration closeTimeout() {
        return config.closeTimeout();
    }
}
