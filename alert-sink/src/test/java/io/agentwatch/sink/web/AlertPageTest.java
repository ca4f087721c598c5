package io.agentwatch.sink.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.service.OpsServer;
import io.agentwatch.sink.state.ActiveAlerts;
import io.agentwatch.sink.testing.Alerts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ActiveAlerts alerts = new ActiveAlerts(10, 100);
    private final HttpClient http = HttpClient.newHttpClient();
    private OpsServer server;

    @BeforeEach
    void start() {
        OpsServer.Builder b = OpsServer.builder("127.0.0.1", 0).bearerToken(Optional.of("t0ken"))
                .metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        new AlertPage(alerts).register(b);
        server = b.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, boolean token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (token) {
            r.header("Authorization", "Bearer t0ken");
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePageWithoutTokenButTheDataOnlyWithIt() throws Exception {
        assertThat(get("/", false).statusCode()).isEqualTo(200);
        assertThat(get("/", false).body()).contains("<script src=\"/static/app.js\">");
        assertThat(get("/static/app.js", false).headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(get("/api/alerts", false).statusCode()).isEqualTo(401);
        assertThat(get("/api/alerts", true).statusCode()).isEqualTo(200);
        assertThat(get("/nope", false).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldListFiringAndResolvedAlertsFilteredByAgentAndName() throws Exception {
        Alert a = Alerts.firing("fa", "AgentErrorRateHigh", Severity.CRITICAL, "planner-7").build();
        Alert b = Alerts.firing("fb", "AgentLoopDetected", Severity.WARNING, "coder-2").build();
        alerts.apply(a);
        alerts.apply(b);
        alerts.apply(Alerts.resolvedOf(Alerts.firing("fc", "AgentSilent", Severity.INFO, "planner-7").build(), Instant.parse("2026-11-22T10:30:00Z")));

        JsonNode all = JSON.readTree(get("/api/alerts", true).body());
        JsonNode planner = JSON.readTree(get("/api/alerts?agent=planner-7", true).body());
        JsonNode loops = JSON.readTree(get("/api/alerts?alertname=AgentLoopDetected", true).body());

        assertThat(all.get("firing")).hasSize(2);
        assertThat(all.get("firing").get(0).get("severity").asText()).as("most severe first").isEqualTo("critical");
        assertThat(all.get("firing").get(0).get("value").asText()).isEqualTo("0.12 (threshold 0.05)");
        assertThat(planner.get("firing")).hasSize(1);
        assertThat(planner.get("resolved").get(0).get("fingerprint").asText()).isEqualTo("fc");
        assertThat(loops.get("firing").get(0).get("agent").asText()).isEqualTo("coder-2");
    }

    @Test
    void shouldShowTheRootCauseAndMarkCascadeInhibitedAlerts() throws Exception {
        Alert cascade = Alerts.withLabel(Alerts.firing("root", "CascadeFailure", Severity.CRITICAL, null).setRootCauseAgentId("planner-7").build(),
                "affected_agents", "coder-2,writer-1");
        Alert down = Alerts.withLabel(Alerts.firing("down", "AgentErrorRateHigh", Severity.ERROR, "coder-2").build(), "caused_by", "root");
        alerts.apply(cascade);
        alerts.apply(down);

        JsonNode body = JSON.readTree(get("/api/alerts?agent=coder-2", true).body());

        assertThat(body.get("firing")).hasSize(2);
        JsonNode root = body.get("firing").get(0);
        assertThat(root.get("rootCause").asText()).isEqualTo("planner-7");
        JsonNode d = body.get("firing").get(1);
        assertThat(d.get("inhibited").asBoolean()).isTrue();
        assertThat(d.get("causedByRootAgent").asText()).isEqualTo("planner-7");
    }

    @Test
    void shouldStreamASnapshotAndThenEveryChange() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/stream")).header("Authorization", "Bearer t0ken").build();
        HttpResponse<java.io.InputStream> response = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("event: snapshot");
            assertThat(JSON.readTree(in.readLine().substring(6)).get("firing")).isEmpty();
            in.readLine();

            alerts.apply(Alerts.firing("fa", "AgentErrorRateHigh", Severity.CRITICAL, "planner-7").build());

            assertThat(in.readLine()).isEqualTo("event: snapshot");
            assertThat(JSON.readTree(in.readLine().substring(6)).get("firing").get(0).get("fingerprint").asText()).isEqualTo("fa");
        }
    }
}
