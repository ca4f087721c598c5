package io.agentwatch.sink.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.AlertSink;
import io.agentwatch.sink.pipeline.DeadLetters;
import io.agentwatch.sink.testing.Alerts;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Alerts produced to a real broker reach each kind of receiver in its documented format. */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReceiversIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PD_KEY = "R0UT1NGKEYFORTHETEST0000000000ab";

    @TempDir
    Path dir;

    @Test
    void shouldDeliverTheDocumentedPayloadsToPagerDutySlackAndAWebhook(KafkaStack stack) throws Exception {
        try (SinkFixture f = new SinkFixture(stack, dir, 3);
             TestReceiver pd = new TestReceiver("/v2/enqueue", 202);
             TestReceiver slack = new TestReceiver("/services/T000/B000/SLACKSECRET", 200);
             TestReceiver hook = new TestReceiver("/hook", 200)) {
            String routes = """
                    route:
                      receiver: hook
                      routes:
                        - matchers: ['severity="critical"']
                          receiver: pd
                          continue: true
                        - matchers: ['severity="critical"']
                          receiver: slack
                          continue: true
                        - matchers: ['severity="critical"']
                          receiver: hook
                    receivers:
                      - {name: pd, type: pagerduty, url: '%s', routing_key_env: PD_KEY}
                      - {name: slack, type: slack, url_env: SLACK_URL}
                      - {name: hook, type: webhook, url: '%s'}
                    """.formatted(pd.url(), hook.url());
            Alert firing = Alerts.firing("a1b2c3d4e5f60718", "AgentErrorRateHigh", Severity.CRITICAL, "planner-7").build();
            Alert resolved = Alerts.resolvedOf(firing, Instant.parse("2026-11-22T10:20:00Z"));

            try (AlertSink sink = f.sink(routes, Map.of("PD_KEY", PD_KEY, "SLACK_URL", slack.url()))) {
                f.produce(firing, resolved);

                Await.atMost(WAIT).until(() -> pd.accepted().size() == 2 && slack.accepted().size() == 2 && hook.accepted().size() == 2);

                JsonNode trigger = pd.accepted().get(0);
                assertThat(trigger.get("routing_key").asText()).isEqualTo(PD_KEY);
                assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
                assertThat(trigger.get("dedup_key").asText()).isEqualTo("a1b2c3d4e5f60718");
                assertThat(trigger.get("payload").get("summary").asText()).contains("AgentErrorRateHigh on planner-7");
                assertThat(trigger.get("payload").get("source").asText()).isEqualTo("planner-7");
                assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
                assertThat(trigger.get("payload").get("custom_details").get("threshold").asText()).isEqualTo("0.05");
                assertThat(trigger.get("links").get(0).get("href").asText()).isEqualTo(sink.baseUrl() + "/?fingerprint=a1b2c3d4e5f60718");
                JsonNode resolve = pd.accepted().get(1);
                assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
                assertThat(resolve.get("dedup_key").asText()).isEqualTo("a1b2c3d4e5f60718");
                assertThat(pd.incidents).containsEntry("a1b2c3d4e5f60718", "resolved");

                JsonNode message = slack.accepted().get(0);
                assertThat(message.get("blocks").get(0).get("type").asText()).isEqualTo("header");
                assertThat(message.get("blocks").get(0).get("text").get("text").asText()).isEqualTo("FIRING: AgentErrorRateHigh on planner-7 (critical)");
                assertThat(message.get("blocks").get(2).toString()).contains("0.12 (threshold 0.05)");
                assertThat(slack.accepted().get(1).get("blocks").get(0).get("text").get("text").asText()).startsWith("RESOLVED: AgentErrorRateHigh");

                JsonNode v4 = hook.accepted().get(0);
                assertThat(v4.get("version").asText()).isEqualTo("4");
                assertThat(v4.get("status").asText()).isEqualTo("firing");
                assertThat(v4.get("receiver").asText()).isEqualTo("hook");
                assertThat(v4.get("groupKey").asText()).startsWith("route.routes[2]:");
                assertThat(v4.get("alerts").get(0).get("fingerprint").asText()).isEqualTo("a1b2c3d4e5f60718");
                assertThat(v4.get("alerts").get(0).get("labels").get("alertname").asText()).isEqualTo("AgentErrorRateHigh");
                assertThat(v4.get("alerts").get(0).get("startsAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
                assertThat(hook.accepted().get(1).get("status").asText()).isEqualTo("resolved");
                assertThat(hook.accepted().get(1).get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-11-22T10:20:00Z");

                String metrics = sink.meterRegistry().scrape();
                assertThat(metrics).contains("agentwatch_sink_deliveries_total{outcome=\"delivered\",receiver=\"pd\"")
                        .contains("agentwatch_sink_delivery_latency_seconds_count{receiver=\"slack\"")
                        .doesNotContain("SLACKSECRET").doesNotContain(PD_KEY);
            }
        }
    }

    @Test
    void shouldPostAlertsToARealAlertmanagerAndResolveThemThere(KafkaStack stack) throws Exception {
        try (SinkFixture f = new SinkFixture(stack, dir, 1);
             AlertmanagerServer am = new AlertmanagerServer(dir)) {
            String routes = """
                    route:
                      receiver: am
                    receivers:
                      - {name: am, type: alertmanager, url: '%s'}
                    """.formatted(am.url());
            Alert firing = Alerts.withLabel(Alerts.firing("0f0f0f0f0f0f0f0f", "AgentLatencyP95High", Severity.WARNING, "retriever-3").build(),
                    "workflow", "support");

            try (AlertSink sink = f.sink(routes, Map.of())) {
                f.produce(firing);

                Await.atMost(WAIT).until(() -> am.alerts("0f0f0f0f0f0f0f0f").size() == 1);
                JsonNode seen = am.alerts("0f0f0f0f0f0f0f0f").get(0);
                assertThat(seen.get("labels").get("alertname").asText()).isEqualTo("AgentLatencyP95High");
                assertThat(seen.get("labels").get("agent_id").asText()).isEqualTo("retriever-3");
                assertThat(seen.get("labels").get("workflow").asText()).isEqualTo("support");
                assertThat(seen.get("labels").get("severity").asText()).isEqualTo("warning");
                assertThat(seen.get("annotations").get("summary").asText()).contains("AgentLatencyP95High on retriever-3");
                assertThat(seen.get("status").get("state").asText()).isEqualTo("active");
                assertThat(seen.get("startsAt").asText()).startsWith("2026-11-22T10:00:00");
                assertThat(seen.get("generatorURL").asText()).isEqualTo(sink.baseUrl() + "/?fingerprint=0f0f0f0f0f0f0f0f");

                f.produce(Alerts.resolvedOf(firing, Instant.parse("2026-11-22T10:30:00Z")));

                Await.atMost(WAIT).until(() -> am.alerts("0f0f0f0f0f0f0f0f").isEmpty());
            }
        }
    }

    @Test
    void shouldSuppressAnAlertCausedByAFiringCascadeAndPageTheRootCause(KafkaStack stack) throws Exception {
        try (SinkFixture f = new SinkFixture(stack, dir, 3);
             TestReceiver pd = new TestReceiver("/v2/enqueue", 202)) {
            String routes = """
                    route:
                      receiver: pd
                    receivers:
                      - {name: pd, type: pagerduty, url: '%s', routing_key_env: PD_KEY}
                    """.formatted(pd.url());
            Alert cascade = Alerts.withLabel(Alerts.firing("cccccccccccccccc", "CascadeFailure", Severity.CRITICAL, null)
                    .setRootCauseAgentId("planner-7").build(), "affected_agents", "coder-2,writer-1");
            Alert coder = Alerts.withLabel(Alerts.firing("dddddddddddddddd", "AgentErrorRateHigh", Severity.CRITICAL, "coder-2").build(),
                    "caused_by", "cccccccccccccccc");
            Alert unrelated = Alerts.firing("eeeeeeeeeeeeeeee", "AgentLoopDetected", Severity.CRITICAL, "writer-9").build();

            try (AlertSink sink = f.sink(routes, Map.of("PD_KEY", PD_KEY))) {
                f.produce(coder);
                f.produce(cascade, unrelated);

                Await.atMost(WAIT).until(() -> pd.accepted().size() >= 2);
                Await.atMost(WAIT).until(() -> sink.meterRegistry().scrape().contains("agentwatch_sink_alerts_suppressed_total{reason=\"inhibited\""));
                assertThat(pd.accepted()).extracting(j -> j.get("dedup_key").asText())
                        .containsExactlyInAnyOrder("cccccccccccccccc", "eeeeeeeeeeeeeeee");
                assertThat(sink.activeAlerts().inhibited(coder)).isTrue();
            }
        }
    }

    @Test
    void shouldDeadLetterWhatAReceiverRefusesAndWhatCannotBeDecoded(KafkaStack stack) throws Exception {
        try (SinkFixture f = new SinkFixture(stack, dir, 1);
             TestReceiver pd = new TestReceiver("/v2/enqueue", 202)) {
            pd.failWith = () -> 400;
            String routes = """
                    route:
                      receiver: pd
                    receivers:
                      - {name: pd, type: pagerduty, url: '%s', routing_key_env: PD_KEY}
                    """.formatted(pd.url());
            Alert alert = Alerts.firing("9999999999999999", "AgentErrorRateHigh", Severity.CRITICAL, "planner-7").build();

            try (AlertSink sink = f.sink(routes, Map.of("PD_KEY", PD_KEY))) {
                f.produce(alert);
                f.produceRaw("poison", "not an alert".getBytes(StandardCharsets.UTF_8));

                List<ConsumerRecord<byte[], byte[]>> dead = f.deadLetters(2, WAIT);

                ConsumerRecord<byte[], byte[]> refused = dead.stream().filter(r -> new String(r.key()).equals("9999999999999999")).findFirst().orElseThrow();
                assertThat(SinkFixture.header(refused, DeadLetters.RECEIVER)).isEqualTo("pd");
                assertThat(SinkFixture.header(refused, DeadLetters.ERROR)).contains("HTTP 400").doesNotContain(PD_KEY).doesNotContain("/v2/enqueue");
                assertThat(SinkFixture.header(refused, DeadLetters.ATTEMPTS)).isEqualTo("1");
                assertThat(SinkFixture.header(refused, DeadLetters.SOURCE_TOPIC)).isEqualTo(f.topic);
                assertThat(SinkFixture.header(refused, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
                assertThat(refused.value()[0]).as("the original wire-format bytes").isEqualTo((byte) 0);
                ConsumerRecord<byte[], byte[]> poison = dead.stream().filter(r -> new String(r.key()).equals("poison")).findFirst().orElseThrow();
                assertThat(SinkFixture.header(poison, DeadLetters.RECEIVER)).isEqualTo("none");
                assertThat(SinkFixture.header(poison, DeadLetters.REASON)).isEqualTo("unknown-magic-byte");
                assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("not an alert");
                Await.atMost(WAIT).until(() -> sink.meterRegistry().scrape().contains("agentwatch_sink_dead_letters_total{reason=\"http_400\",receiver=\"pd\""));
            }
        }
    }
}
