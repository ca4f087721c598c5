package io.agentwatch.reliability.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.simulator.publish.KafkaEventSink;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8, security basics, against a broker that accepts only SASL/SCRAM-SHA-512 clients: the processor and the
 * sink (their own JVMs) connect with the SASL settings passed as {@code KAFKA_*} variables and work end to end (an
 * event in, an alert out, delivered by the sink); clients without credentials or with a wrong password are refused;
 * the endpoints that show state or alerts need the bearer token; and none of the configured secrets (SASL
 * password, a webhook URL carrying a token, a PagerDuty routing key, the bearer token) appears in the services' logs
 * or metrics, even though both receivers first answer with an error that echoes what they were sent.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecurityIT {
    private static final Path LOGS = Path.of("target", "reliability", "logs");
    private static final String USER = "agentwatch";
    private static final String SASL_PASSWORD = "sasl-" + UUID.randomUUID();
    private static final String BEARER = "bearer-" + UUID.randomUUID();
    private static final String PD_KEY = "pdkey" + UUID.randomUUID().toString().replace("-", "").substring(0, 27);
    private static final String HOOK_TOKEN = "hooktoken-" + UUID.randomUUID();
    private static final String HOOK_QUERY_SECRET = "sig-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    private static SaslKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = SaslKafkaBroker.start(dir.resolve("broker"), "admin-" + UUID.randomUUID(), Map.of(USER, SASL_PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRefuseClientsWithoutCredentialsOrWithAWrongPassword() {
        Map<String, Object> plain = new HashMap<>();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(plain)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get(10, TimeUnit.SECONDS))
                    .as("a client without SASL gets no answer from a SASL listener").isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> wrong = broker.clientProps(USER, "not-" + SASL_PASSWORD);
        wrong.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        wrong.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldRunEndToEndOverSaslRequireTheBearerTokenAndLeakNoSecret(KafkaStack stack) throws Exception {
        ScenarioReport report = new ScenarioReport("security");
        ScenarioTopics topics = new ScenarioTopics("events", "alerts", "events.dlq", "rules", "alerts.dlq");
        Map<String, Integer> partitions = new LinkedHashMap<>();
        partitions.put(topics.events(), 6);
        partitions.put(topics.alerts(), 3);
        partitions.put(topics.eventsDlq(), 3);
        partitions.put(topics.rules(), 1);
        partitions.put(topics.alertsDlq(), 1);
        broker.createTopics(partitions);
        Map<String, String> sasl = broker.clientEnv(USER, SASL_PASSWORD);

        try (EchoingReceiver hook = new EchoingReceiver(); EchoingReceiver pd = new EchoingReceiver()) {
            String hookUrl = hook.base() + "/hooks/" + HOOK_TOKEN + "?signature=" + HOOK_QUERY_SECRET;
            Path routes = dir.resolve("routes.yaml");
            Files.writeString(routes, """
                    route:
                      receiver: hook
                      routes:
                        - matchers: ['alertname=~".+"']
                          receiver: hook
                          continue: true
                        - matchers: ['alertname=~".+"']
                          receiver: pd
                          continue: true
                    receivers:
                      - name: hook
                        type: webhook
                        url_env: HOOK_URL
                        retry: {max_attempts: 50, initial_backoff: 200ms, max_backoff: 1s, max_elapsed: 2m}
                      - name: pd
                        type: pagerduty
                        url: '%s/v2/enqueue'
                        routing_key_env: PD_ROUTING_KEY
                        retry: {max_attempts: 50, initial_backoff: 200ms, max_backoff: 1s, max_elapsed: 2m}
                    """.formatted(pd.base()));

            Map<String, String> processorEnv = ProcessorJvm.env(broker.bootstrapServers(), stack.registryUrl(), topics, "secure-processor",
                    dir.resolve("state"));
            processorEnv.putAll(sasl);
            processorEnv.put("AGENTWATCH_HTTP_TOKEN", BEARER);
            Map<String, String> sinkEnv = SinkJvm.env(broker.bootstrapServers(), stack.registryUrl(), topics, "secure-sink", routes);
            sinkEnv.putAll(sasl);
            sinkEnv.put("AGENTWATCH_HTTP_TOKEN", BEARER);
            sinkEnv.put("HOOK_URL", hookUrl);
            sinkEnv.put("PD_ROUTING_KEY", PD_KEY);

            List<String> scrapes = new ArrayList<>();
            ServiceJvm processor = ProcessorJvm.start("processor-sasl", processorEnv, "384m", LOGS.resolve("security-processor.log"));
            ServiceJvm sink = SinkJvm.start("sink-sasl", sinkEnv, LOGS.resolve("security-sink.log"));
            try {
                processor.awaitReady(Duration.ofMinutes(4));
                sink.awaitReady(Duration.ofMinutes(1));

                // an event in: a run at its iteration limit fires AgentIterationLimitHit at once
                Map<String, Object> producerProps = new HashMap<>(broker.clientProps(USER, SASL_PASSWORD));
                try (KafkaEventSink events = KafkaEventSink.create(broker.bootstrapServers(), stack.registryUrl(), topics.events(), producerProps)) {
                    events.send(AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setTimestamp(Instant.now())
                            .setAgentId("secure-agent-1").setOperation(Operation.INVOKE_AGENT).setSessionId("s-1")
                            .setIteration(25).setMaxIterations(25).build());
                    events.flush();
                }
                // an alert out, read over SASL
                Alert alert = firstAlert(stack, topics.alerts());
                assertThat(alert.getAlertname()).isEqualTo("AgentIterationLimitHit");
                // delivered by the sink to both receivers, after the first (echoing) refusal of each
                long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while ((hook.accepted.isEmpty() || pd.accepted.isEmpty()) && System.nanoTime() < end) {
                    sink.requireAlive();
                    Thread.sleep(200);
                }
                assertThat(hook.accepted).as("the webhook got the alert").anySatisfy(b -> assertThat(b).contains(alert.getFingerprint()));
                assertThat(pd.accepted).as("PagerDuty got the alert").anySatisfy(b -> assertThat(b).contains(alert.getFingerprint()).contains(PD_KEY));

                // the bearer token guards what shows state and alerts; health and metrics stay open for probes and Prometheus
                Map<String, Integer> statuses = new LinkedHashMap<>();
                statuses.put("processor /api/fleet without token", processor.get("/api/fleet", null).status());
                statuses.put("processor /api/fleet wrong token", processor.get("/api/fleet", "x" + BEARER).status());
                statuses.put("processor /api/fleet with token", processor.get("/api/fleet", BEARER).status());
                statuses.put("processor /api/agents/secure-agent-1 without token", processor.get("/api/agents/secure-agent-1", null).status());
                statuses.put("processor /api/agents/secure-agent-1 with token", processor.get("/api/agents/secure-agent-1", BEARER).status());
                statuses.put("sink /api/alerts without token", sink.get("/api/alerts", null).status());
                statuses.put("sink /api/alerts wrong token", sink.get("/api/alerts", "x" + BEARER).status());
                statuses.put("sink /api/alerts with token", sink.get("/api/alerts", BEARER).status());
                statuses.put("sink /api/stream without token", sink.get("/api/stream", null).status());
                statuses.forEach((what, status) -> report.line("  %-52s HTTP %d", what, status));
                assertThat(statuses).containsEntry("processor /api/fleet without token", 401).containsEntry("processor /api/fleet wrong token", 401)
                        .containsEntry("processor /api/fleet with token", 200)
                        .containsEntry("processor /api/agents/secure-agent-1 without token", 401)
                        .containsEntry("processor /api/agents/secure-agent-1 with token", 200)
                        .containsEntry("sink /api/alerts without token", 401).containsEntry("sink /api/alerts wrong token", 401)
                        .containsEntry("sink /api/alerts with token", 200).containsEntry("sink /api/stream without token", 401);

                for (ServiceJvm s : List.of(processor, sink)) {
                    scrapes.add(s.scrape());
                    scrapes.add(s.get("/health", null).body());
                    scrapes.add(s.get("/ready", null).body());
                }
            } finally {
                processor.close();
                sink.close();
            }

            // no secret anywhere in what they wrote or served
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("SASL password", SASL_PASSWORD);
            secrets.put("webhook URL", hookUrl);
            secrets.put("webhook URL token", HOOK_TOKEN);
            secrets.put("webhook URL query secret", HOOK_QUERY_SECRET);
            secrets.put("PagerDuty routing key", PD_KEY);
            secrets.put("bearer token", BEARER);
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put("processor log", processor.log());
            outputs.put("sink log", sink.log());
            outputs.put("metrics, health and ready answers", String.join("\n", scrapes));
            List<String> leaks = new ArrayList<>();
            outputs.forEach((where, text) -> secrets.forEach((what, secret) -> {
                if (text.contains(secret)) {
                    leaks.add(what + " in " + where);
                }
            }));
            report.figure("secrets checked", secrets.size()).line("  outputs grepped: %s (%,d characters)", outputs.keySet(),
                    outputs.values().stream().mapToInt(String::length).sum())
                    .figure("refusals echoing secrets back (hook, pd)", (hook.requests() - hook.accepted.size()) + ", " + (pd.requests() - pd.accepted.size()))
                    .figure("leaks", leaks.size());
            report.save();
            assertThat(sink.log()).as("the refusal was logged or counted, so the grep looked at a real error path")
                    .containsAnyOf("503", "http_503");
            assertThat(leaks).as("secrets in logs or metrics").isEmpty();
        }
    }

    private static Alert firstAlert(KafkaStack stack, String topic) {
        Map<String, Object> props = new HashMap<>(broker.clientProps(USER, SASL_PASSWORD));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "security-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroWireDeserializer<Alert> alerts = new AvroWireDeserializer<>(stack.registryClient(), Alert.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    return alerts.deserialize(topic, r.value());
                }
            }
        }
        throw new AssertionError("no alert on " + topic + " within 2 minutes");
    }
}
