package io.agentwatch.sink.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import io.agentwatch.sink.routing.RetrySpec;
import io.agentwatch.sink.routing.Secret;
import io.agentwatch.sink.testing.Alerts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bodies each receiver sends, checked against the documented formats. */
class PayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertText TEXT = new AlertText("http://sink.example:8090");
    private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");
    private static final Alert FIRING = Alerts.firing("a1b2c3d4e5f60718", "AgentErrorRateHigh", Severity.CRITICAL, "planner-7").build();
    private static final Alert RESOLVED = Alerts.resolvedOf(FIRING, Instant.parse("2026-11-22T10:20:00Z"));

    private static ReceiverSpec spec(ReceiverSpec.Type type, String url, String key) {
        return new ReceiverSpec("r-" + type.id(), type, Optional.of(new Secret(url, "test")),
                Optional.ofNullable(key).map(k -> new Secret(k, "test")), Duration.ofSeconds(5), RetrySpec.DEFAULT,
                Duration.ofHours(1), Optional.empty(), 10, Duration.ofMinutes(1));
    }

    private static Envelope envelope(Alert a, long offset) {
        return new Envelope("agent.alerts", 0, offset, a.getFingerprint().getBytes(), new byte[] {1}, a, AlertLabels.of(a), 0L, null);
    }

    private static Notification single(String receiver, Alert a) {
        return new Notification(receiver, "route:{}", java.util.Map.of(), List.of(envelope(a, 0)), Optional.empty());
    }

    private static JsonNode body(Outgoing o) throws Exception {
        return JSON.readTree(o.body());
    }

    @Test
    void shouldTriggerPagerDutyWithTheFingerprintAsDedupKey() throws Exception {
        PagerDutyReceiver pd = new PagerDutyReceiver(spec(ReceiverSpec.Type.PAGERDUTY, "http://127.0.0.1:1/v2/enqueue", "KEY123456"), null, TEXT);

        JsonNode e = body(pd.render(single("pd", FIRING)).get(0));

        assertThat(e.get("routing_key").asText()).isEqualTo("KEY123456");
        assertThat(e.get("event_action").asText()).isEqualTo("trigger");
        assertThat(e.get("dedup_key").asText()).isEqualTo("a1b2c3d4e5f60718");
        JsonNode p = e.get("payload");
        assertThat(p.get("summary").asText()).startsWith("[AgentErrorRateHigh] AgentErrorRateHigh on planner-7");
        assertThat(p.get("source").asText()).isEqualTo("planner-7");
        assertThat(p.get("severity").asText()).isEqualTo("critical");
        assertThat(p.get("timestamp").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(p.get("class").asText()).isEqualTo("AgentErrorRateHigh");
        assertThat(p.get("custom_details").get("value").asText()).isEqualTo("0.12");
        assertThat(p.get("custom_details").get("threshold").asText()).isEqualTo("0.05");
        assertThat(p.get("custom_details").get("labels").get("agent_id").asText()).isEqualTo("planner-7");
        assertThat(e.get("links").get(0).get("href").asText()).isEqualTo("http://sink.example:8090/?fingerprint=a1b2c3d4e5f60718");
    }

    @Test
    void shouldResolvePagerDutyWithOnlyKeyActionAndDedupKey() throws Exception {
        PagerDutyReceiver pd = new PagerDutyReceiver(spec(ReceiverSpec.Type.PAGERDUTY, "http://127.0.0.1:1/v2/enqueue", "KEY123456"), null, TEXT);

        JsonNode e = body(pd.render(single("pd", RESOLVED)).get(0));

        assertThat(e.get("event_action").asText()).isEqualTo("resolve");
        assertThat(e.get("dedup_key").asText()).isEqualTo("a1b2c3d4e5f60718");
        assertThat(e.has("payload")).isFalse();
    }

    @Test
    void shouldSendOnePagerDutyEventPerAlertOfAGroup() {
        PagerDutyReceiver pd = new PagerDutyReceiver(spec(ReceiverSpec.Type.PAGERDUTY, "http://127.0.0.1:1/v2/enqueue", "KEY123456"), null, TEXT);
        Alert other = Alerts.firing("ffff000011112222", "AgentLoopDetected", Severity.CRITICAL, "coder-2").build();
        Notification group = new Notification("pd", "g", java.util.Map.of(), List.of(envelope(FIRING, 1), envelope(other, 2)), Optional.empty());

        List<Outgoing> out = pd.render(group);

        assertThat(out).hasSize(2);
        assertThat(out.get(1).alerts()).extracting(Envelope::offset).containsExactly(2L);
    }

    @Test
    void shouldWriteSlackBlockKitWithHeaderSummaryValueAndLink() throws Exception {
        SlackReceiver slack = new SlackReceiver(spec(ReceiverSpec.Type.SLACK, "https://hooks.slack.com/services/T/B/C", null), null, TEXT);

        JsonNode m = body(slack.render(single("slack", FIRING)).get(0));

        JsonNode blocks = m.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("FIRING: AgentErrorRateHigh on planner-7 (critical)");
        assertThat(blocks.get(1).get("text").get("text").asText()).contains("error rate 12% over 10m");
        String fields = blocks.get(2).get("fields").toString();
        assertThat(fields).contains("*Agent*\\nplanner-7").contains("*Value*\\n0.12 (threshold 0.05)").contains("<!date^");
        assertThat(blocks.get(3).get("type").asText()).isEqualTo("context");
        assertThat(blocks.get(3).toString()).contains("<http://sink.example:8090/?fingerprint=a1b2c3d4e5f60718|Open in agentwatch>");
        assertThat(m.get("text").asText()).startsWith("FIRING: AgentErrorRateHigh");
    }

    @Test
    void shouldWriteASlackResolvedMessageWhenTheAlertClears() throws Exception {
        SlackReceiver slack = new SlackReceiver(spec(ReceiverSpec.Type.SLACK, "https://hooks.slack.com/services/T/B/C", null), null, TEXT);

        JsonNode m = body(slack.render(single("slack", RESOLVED)).get(0));

        assertThat(m.get("blocks").get(0).get("text").get("text").asText()).startsWith("RESOLVED: AgentErrorRateHigh");
        assertThat(m.get("blocks").get(2).toString()).contains("*Resolved*");
    }

    @Test
    void shouldWriteASlackDigestWithCountsAndAlerts() throws Exception {
        SlackReceiver slack = new SlackReceiver(spec(ReceiverSpec.Type.SLACK, "https://hooks.slack.com/services/T/B/C", null), null, TEXT);
        Alert warn = Alerts.firing("0000111122223333", "AgentTokenDrift", Severity.WARNING, "writer-1").build();
        Notification digest = new Notification("hourly", "digest:hourly", java.util.Map.of(), List.of(envelope(warn, 1), envelope(Alerts.resolvedOf(warn, NOW), 2)),
                Optional.of(new Notification.Period(Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T11:00:00Z"))));

        JsonNode m = body(slack.render(digest).get(0));

        assertThat(m.get("blocks").get(0).get("text").get("text").asText())
                .isEqualTo("agentwatch digest: 2 alerts from 2026-11-22T10:00:00Z to 2026-11-22T11:00:00Z");
        assertThat(m.get("blocks").get(1).get("text").get("text").asText()).isEqualTo("*warning*: 1 firing, 1 resolved");
        assertThat(m.get("blocks").get(2).get("text").get("text").asText()).contains("*AgentTokenDrift* `writer-1`");
    }

    @Test
    void shouldWriteTheAlertmanagerWebhookV4Payload() throws Exception {
        WebhookReceiver hook = new WebhookReceiver(spec(ReceiverSpec.Type.WEBHOOK, "http://127.0.0.1:1/hook", null), null, TEXT);
        Notification n = new Notification("hooks", "route.routes[0]:{alertname=AgentErrorRateHigh}", java.util.Map.of("alertname", "AgentErrorRateHigh"),
                List.of(envelope(FIRING, 0), envelope(Alerts.resolvedOf(Alerts.firing("1111", "AgentErrorRateHigh", Severity.CRITICAL, "coder-2").build(), NOW), 1)),
                Optional.empty());

        JsonNode b = body(hook.render(n).get(0));

        assertThat(b.get("version").asText()).isEqualTo("4");
        assertThat(b.get("groupKey").asText()).isEqualTo("route.routes[0]:{alertname=AgentErrorRateHigh}");
        assertThat(b.get("status").asText()).isEqualTo("firing");
        assertThat(b.get("receiver").asText()).isEqualTo("hooks");
        assertThat(b.get("groupLabels").get("alertname").asText()).isEqualTo("AgentErrorRateHigh");
        assertThat(b.get("commonLabels").get("alertname").asText()).isEqualTo("AgentErrorRateHigh");
        assertThat(b.get("commonLabels").has("agent_id")).isFalse();
        assertThat(b.get("externalURL").asText()).isEqualTo("http://sink.example:8090");
        JsonNode first = b.get("alerts").get(0);
        assertThat(first.get("status").asText()).isEqualTo("firing");
        assertThat(first.get("fingerprint").asText()).isEqualTo("a1b2c3d4e5f60718");
        assertThat(first.get("labels").get("agent_id").asText()).isEqualTo("planner-7");
        assertThat(first.get("annotations").get("summary").asText()).contains("error rate 12%");
        assertThat(first.get("startsAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(first.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(first.get("generatorURL").asText()).isEqualTo("http://sink.example:8090/?fingerprint=a1b2c3d4e5f60718");
        JsonNode second = b.get("alerts").get(1);
        assertThat(second.get("status").asText()).isEqualTo("resolved");
        assertThat(second.get("endsAt").asText()).isEqualTo("2026-11-22T10:05:00Z");
    }

    @Test
    void shouldPostAlertmanagerAlertsThatExpireUnlessRefreshed() throws Exception {
        AlertmanagerReceiver am = new AlertmanagerReceiver(spec(ReceiverSpec.Type.ALERTMANAGER, "http://127.0.0.1:9093", null), null, TEXT, () -> NOW);
        Alert odd = Alerts.withLabel(FIRING, "model.lane", "cheap");
        Notification n = new Notification("am", "g", java.util.Map.of(), List.of(envelope(odd, 0), envelope(RESOLVED, 1)), Optional.empty());

        Outgoing out = am.render(n).get(0);
        JsonNode b = body(out);

        assertThat(out.uri().toString()).isEqualTo("http://127.0.0.1:9093/api/v2/alerts");
        assertThat(b.isArray()).isTrue();
        JsonNode f = b.get(0);
        assertThat(f.get("labels").get("alertname").asText()).isEqualTo("AgentErrorRateHigh");
        assertThat(f.get("labels").get("fingerprint").asText()).isEqualTo("a1b2c3d4e5f60718");
        assertThat(f.get("labels").get("model_lane").asText()).as("label names made valid").isEqualTo("cheap");
        assertThat(f.get("annotations").get("summary").asText()).contains("error rate");
        assertThat(f.get("startsAt").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(f.get("endsAt").asText()).as("now + 4 x resend_interval").isEqualTo("2026-11-22T10:09:00Z");
        assertThat(f.get("generatorURL").asText()).isEqualTo("http://sink.example:8090/?fingerprint=a1b2c3d4e5f60718");
        assertThat(b.get(1).get("endsAt").asText()).isEqualTo("2026-11-22T10:20:00Z");
    }
}
