package io.agentwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingest gateway, the stream processor and the alert sink run as their images run them (the Dockerfiles' ENTRYPOINT, ENV and
 * HEALTHCHECK, outside a container: no Docker engine is needed) against the real broker and registry, with the
 * environment the compose file and the pod specs give them (static membership from KAFKA_GROUP_INSTANCE_ID
 * included). A little traffic makes every kind of series appear: JSON events through the gateway, events
 * processed, an alert, a dead letter, a delivery, a retry, a refused delivery. Then the healthchecks must pass, and
 * every metric that a panel of the Grafana dashboard or a Prometheus alert rule (docker/prometheus/rules) queries
 * must be in the services' /metrics. SIGTERM must stop each within its close budget.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ImagesAndDashboardIT {
    /** Under target/ rather than a JUnit temp dir: it holds symbolic links to the built jars, and the logs stay for a look. */
    private Path work;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<ImageRun> runs = new ArrayList<>();
    private HttpServer receivers;

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (ImageRun r : runs) {
            r.close();
        }
        if (receivers != null) {
            receivers.stop(0);
        }
    }

    @Test
    void shouldRunTheImagesHealthyAndExportEveryMetricTheDashboardQueries(KafkaStack stack) throws Exception {
        work = Files.createDirectories(Repo.path("deploy-tests/target/image-runs").resolve(stack.uniqueName("run")));
        // given: the topics of one processor and one sink, and two webhook receivers: one fails once, one refuses
        String events = stack.uniqueName("events");
        String alerts = stack.uniqueName("alerts");
        String eventsDlq = stack.uniqueName("events-dlq");
        String alertsDlq = stack.uniqueName("alerts-dlq");
        String rules = stack.uniqueName("rules");
        String control = stack.uniqueName("control");
        stack.createTopic(events, 3);
        stack.createTopic(alerts, 2);
        stack.createTopic(eventsDlq, 1);
        stack.createTopic(alertsDlq, 1);
        stack.createTopic(rules, 1, Map.of("cleanup.policy", "compact"));
        stack.createTopic(control, 1);
        AtomicInteger flakyCalls = new AtomicInteger();
        receivers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receivers.createContext("/flaky", x -> answer(x, flakyCalls.getAndIncrement() == 0 ? 503 : 200));
        receivers.createContext("/refusing", x -> answer(x, 400));
        receivers.start();
        String hooks = "http://127.0.0.1:" + receivers.getAddress().getPort();

        int processorPort = freePort();
        Map<String, String> processorEnv = new LinkedHashMap<>();
        processorEnv.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        processorEnv.put("AGENTWATCH_SCHEMA_REGISTRY_URL", stack.registryUrl());
        processorEnv.put("AGENTWATCH_APPLICATION_ID", stack.uniqueName("processor"));
        processorEnv.put("KAFKA_GROUP_INSTANCE_ID", "stream-processor-0");
        processorEnv.put("AGENTWATCH_APPLICATION_SERVER", "127.0.0.1:" + processorPort);
        processorEnv.put("AGENTWATCH_HTTP_PORT", Integer.toString(processorPort));
        processorEnv.put("AGENTWATCH_STATE_DIR", Files.createDirectories(work.resolve("state")).toString());
        processorEnv.put("AGENTWATCH_EVENTS_TOPIC", events);
        processorEnv.put("AGENTWATCH_ALERTS_TOPIC", alerts);
        processorEnv.put("AGENTWATCH_EVENTS_DLQ_TOPIC", eventsDlq);
        processorEnv.put("AGENTWATCH_RULES_TOPIC", rules);
        processorEnv.put("AGENTWATCH_CONTROL_TOPIC", control);
        processorEnv.put("AGENTWATCH_REPLICATION_FACTOR", "1");
        processorEnv.put("AGENTWATCH_STREAM_THREADS", "1");
        processorEnv.put("AGENTWATCH_CLOSE_TIMEOUT", "20s");
        processorEnv.put("JDK_JAVA_OPTIONS", "-Xmx384m");

        Path routes = work.resolve("routes.yaml");
        Files.writeString(routes, """
                route:
                  receiver: flaky
                  routes:
                    - receiver: refusing
                      continue: true
                    - receiver: flaky
                receivers:
                  - name: flaky
                    type: webhook
                    url_env: FLAKY_URL
                    retry: {max_attempts: 5, initial_backoff: 100ms, max_backoff: 1s, max_elapsed: 30s}
                  - name: refusing
                    type: webhook
                    url_env: REFUSING_URL
                """);
        int sinkPort = freePort();
        Map<String, String> sinkEnv = new LinkedHashMap<>();
        sinkEnv.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        sinkEnv.put("AGENTWATCH_SCHEMA_REGISTRY_URL", stack.registryUrl());
        sinkEnv.put("AGENTWATCH_CONSUMER_GROUP", stack.uniqueName("sink"));
        sinkEnv.put("AGENTWATCH_ALERTS_TOPIC", alerts);
        sinkEnv.put("AGENTWATCH_ALERTS_DLQ_TOPIC", alertsDlq);
        sinkEnv.put("AGENTWATCH_ROUTES_FILE", routes.toString());
        sinkEnv.put("AGENTWATCH_HTTP_PORT", Integer.toString(sinkPort));
        sinkEnv.put("FLAKY_URL", hooks + "/flaky");
        sinkEnv.put("REFUSING_URL", hooks + "/refusing");
        sinkEnv.put("JDK_JAVA_OPTIONS", "-Xmx256m");

        int gatewayPort = freePort();
        Map<String, String> gatewayEnv = new LinkedHashMap<>();
        gatewayEnv.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        gatewayEnv.put("AGENTWATCH_SCHEMA_REGISTRY_URL", stack.registryUrl());
        gatewayEnv.put("AGENTWATCH_EVENTS_TOPIC", events);
        gatewayEnv.put("AGENTWATCH_HTTP_PORT", Integer.toString(gatewayPort));
        gatewayEnv.put("AGENTWATCH_HTTP_THREADS", "4");
        gatewayEnv.put("JDK_JAVA_OPTIONS", "-Xmx256m");

        // when: the three run as their images do, and traffic flows
        ImageRun gateway = ImageRun.of("ingest-gateway", work, gatewayEnv);
        runs.add(gateway);
        gateway.start();
        ImageRun processor = ImageRun.of("stream-processor", work, processorEnv);
        runs.add(processor);
        processor.start();
        ImageRun sink = ImageRun.of("alert-sink", work, sinkEnv);
        runs.add(sink);
        sink.start();
        produce(stack, events);
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        Await.atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(gateway.alive()).as("gateway alive; log:\n%s", gateway.logTail()).isTrue();
            return gateway.healthcheck() == 0 && status(gatewayUrl + "/ready") == 200;
        });
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/events"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(jsonEvents())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as("POST /v1/events: %s", posted.body()).isEqualTo(200);

        String processorUrl = "http://127.0.0.1:" + processorPort;
        String sinkUrl = "http://127.0.0.1:" + sinkPort;
        Scrape[] last = new Scrape[3];
        Await.atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            assertThat(processor.alive()).as("processor alive; log:\n%s", processor.logTail()).isTrue();
            assertThat(sink.alive()).as("sink alive; log:\n%s", sink.logTail()).isTrue();
            try {
                last[0] = Scrape.get(processorUrl);
                last[1] = Scrape.get(sinkUrl);
            } catch (IOException e) {
                return false;
            }
            last[2] = Scrape.get(gatewayUrl);
            return last[0].value("agentwatch_alerts_emitted_total", "status=\"firing\"") >= 1
                    && last[2].value("agentwatch_gateway_events_published_total", "source=\"json\"") >= 20
                    // 301 produced directly: more means the gateway's events reached the processor
                    && last[0].value("agentwatch_events_processed_total") >= 310
                    && last[0].value("agentwatch_events_dead_lettered_total") >= 1
                    && last[1].value("agentwatch_sink_deliveries_total", "outcome=\"delivered\"") >= 1
                    && last[1].value("agentwatch_sink_deliveries_total", "outcome=\"dead_lettered\"") >= 1
                    && last[1].value("agentwatch_sink_delivery_retries_total") >= 1;
        });
        // Kafka Streams registers some metrics lazily; Micrometer's binder picks new ones up on its refresh
        Await.atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            last[0] = Scrape.get(processorUrl);
            last[1] = Scrape.get(sinkUrl);
            last[2] = Scrape.get(gatewayUrl);
            return missing(Dashboard.load(), union(last)).isEmpty() && missingInRules(union(last)).isEmpty();
        });

        // then
        Path out = Files.createDirectories(Repo.path("deploy-tests/target/scrapes"));
        Files.writeString(out.resolve("stream-processor.prom"), last[0].text());
        Files.writeString(out.resolve("alert-sink.prom"), last[1].text());
        Files.writeString(out.resolve("ingest-gateway.prom"), last[2].text());
        assertThat(missing(Dashboard.load(), union(last))).as("dashboard queries naming metrics the services do not export").isEmpty();
        assertThat(missingInRules(union(last))).as("alert rules naming metrics the services do not export").isEmpty();
        assertThat(processor.healthcheck()).as("processor HEALTHCHECK").isZero();
        assertThat(sink.healthcheck()).as("sink HEALTHCHECK").isZero();
        assertThat(gateway.healthcheck()).as("gateway HEALTHCHECK").isZero();

        assertThat(processor.stop(Duration.ofSeconds(40))).as("processor stops on SIGTERM within close.timeout; log:\n%s", processor.logTail()).isNotEqualTo(-1);
        assertThat(sink.stop(Duration.ofSeconds(30))).as("sink stops on SIGTERM within shutdown.timeout").isNotEqualTo(-1);
        assertThat(gateway.stop(Duration.ofSeconds(40))).as("gateway stops on SIGTERM within shutdown.timeout").isNotEqualTo(-1);
        assertThat(processor.healthcheck()).as("the HEALTHCHECK fails once the service is gone").isNotZero();
    }

    /** Panel title -> the metric names it queries that no scrape holds. */
    static Map<String, Set<String>> missing(Dashboard dashboard, Set<String> exported) {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (Dashboard.Panel p : dashboard.panels()) {
            for (String expr : p.exprs()) {
                for (String name : PromQl.metricNames(expr)) {
                    if (!exported.contains(name)) {
                        missing.computeIfAbsent(p.title(), t -> new TreeSet<>()).add(name);
                    }
                }
            }
        }
        return missing;
    }

    /** Rule name -> the metric names its expression queries that no scrape holds ('up' is Prometheus' own). */
    static Map<String, Set<String>> missingInRules(Set<String> exported) {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode group : Yaml.single(Repo.path("docker/prometheus/rules/agentwatch.yml")).path("groups")) {
            for (com.fasterxml.jackson.databind.JsonNode rule : group.path("rules")) {
                for (String name : PromQl.metricNames(rule.path("expr").asText())) {
                    if (!name.equals("up") && !exported.contains(name)) {
                        missing.computeIfAbsent(rule.path("alert").asText(), t -> new TreeSet<>()).add(name);
                    }
                }
            }
        }
        return missing;
    }

    /** Twenty events as the gateway's JSON endpoint takes them (NDJSON), of a fourth agent, newer than the rest. */
    private static String jsonEvents() {
        StringBuilder out = new StringBuilder();
        long now = Instant.now().toEpochMilli();
        for (int i = 0; i < 20; i++) {
            out.append("{\"agent_id\":\"gateway-agent\",\"timestamp\":").append(now + i * 1_000L)
                    .append(",\"tenant\":\"acme\",\"session_id\":\"s-gw\",\"trace_id\":\"").append(String.format("%032x", now + i))
                    .append("\",\"span_id\":\"").append(String.format("%016x", now + i))
                    .append("\",\"operation\":\"CHAT\",\"status\":\"OK\",\"latency_ms\":700,\"input_tokens\":500,\"output_tokens\":90}\n");
        }
        return out.toString();
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Set<String> union(Scrape... scrapes) {
        Set<String> all = new TreeSet<>();
        for (Scrape s : scrapes) {
            all.addAll(s.names());
        }
        return all;
    }

    /** Five minutes of three healthy agents, one run at its iteration limit, and one poison pill. */
    private static void produce(KafkaStack stack, String topic) throws Exception {
        long now = Instant.now().toEpochMilli();
        List<AgentEvent> traffic = new ArrayList<>();
        for (int second = 0; second < 300; second += 3) {
            for (String agent : List.of("planner", "coder", "reviewer")) {
                traffic.add(event(agent, now - 300_000 + second * 1_000L, 1, 10));
            }
        }
        traffic.add(event("coder", now - 1_000, 10, 10));
        Map<String, Object> props = new HashMap<>(stack.producerProps());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
             AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(stack.registryClient(), false, true)) {
            for (AgentEvent e : traffic) {
                producer.send(new ProducerRecord<>(topic, e.getAgentId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, e)));
            }
            producer.send(new ProducerRecord<>(topic, "coder".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9, 9}));
            producer.flush();
        }
    }

    private static AgentEvent event(String agent, long ts, int iteration, int maxIterations) {
        return AgentEvent.newBuilder()
                .setEventId(agent + "-" + ts).setTimestamp(Instant.ofEpochMilli(ts)).setAgentId(agent).setTenant("acme")
                .setSessionId("s-" + agent).setTraceId(String.format("%032x", ts)).setSpanId(String.format("%016x", ts))
                .setOperation(Operation.CHAT).setStatus(Status.OK).setLatencyMs(800L).setInputTokens(600L).setOutputTokens(120L)
                .setCostUsd(0.002).setIteration(iteration).setMaxIterations(maxIterations).build();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int status) throws IOException {
        x.getRequestBody().readAllBytes();
        x.sendResponseHeaders(status, -1);
        x.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
