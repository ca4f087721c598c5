package io.agentwatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeMetricsHealthAndReadinessFromTheirSuppliers() throws Exception {
        PrometheusMeterRegistry registry = ServiceMetrics.create("test");
        registry.counter("agentwatch.test.things").increment(3);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OpsServer server = OpsServer.builder("127.0.0.1", 0)
                .metrics(registry)
                .health(() -> Health.up("UP"))
                .ready(() -> ready.get() ? Health.up("RUNNING") : new Health(false, "REBALANCING", Map.of("threads", 2)))
                .start()) {

            HttpResponse<String> metrics = get(server, "/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("agentwatch_test_things_total{service=\"test\"} 3.0")
                    .contains("agentwatch_process_resident_memory_bytes");

            assertThat(get(server, "/health", null).statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(server, "/ready", null);
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("REBALANCING").contains("\"threads\":2");

            ready.set(true);
            assertThat(get(server, "/ready", null).statusCode()).isEqualTo(200);
            assertThat(get(server, "/nope", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldRequireTheBearerTokenOnProtectedRoutesOnly() throws Exception {
        try (OpsServer server = OpsServer.builder("127.0.0.1", 0)
                .bearerToken(Optional.of("s3cret"))
                .health(() -> Health.up("UP"))
                .route("/api/alerts", ex -> Responses.json(ex, 200, Map.of("alerts", 0)), true)
                .start()) {

            assertThat(get(server, "/api/alerts", null).statusCode()).isEqualTo(401);
            assertThat(get(server, "/api/alerts", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(server, "/api/alerts", "Bearer s3cret").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldSayWhichPortIsInUse() {
        try (OpsServer first = OpsServer.builder("127.0.0.1", 0).health(() -> Health.up("UP")).start()) {
            assertThatThrownBy(() -> OpsServer.builder("127.0.0.1", first.port()).start())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(":" + first.port());
        }
    }

    private HttpResponse<String> get(OpsServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
