package io.agentwatch.gateway;

import static io.agentwatch.gateway.testing.Spans.integer;
import static io.agentwatch.gateway.testing.Spans.request;
import static io.agentwatch.gateway.testing.Spans.resource;
import static io.agentwatch.gateway.testing.Spans.span;
import static io.agentwatch.gateway.testing.Spans.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwatch.gateway.otlp.OtlpResponses;
import io.agentwatch.gateway.testing.InMemorySchemaRegistry;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.service.ServiceMetrics;
import io.agentwatch.service.Settings;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP endpoints end to end, with the producer replaced by Kafka's MockProducer (the ITs use a real broker). */
@Timeout(60)
class GatewayHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExportTraceServiceRequest AGENT_RUN = request(
            resource(str("service.name", "support-bot")),
            span("0000000000000001", 900, str("gen_ai.operation.name", "invoke_agent"), str("gen_ai.agent.id", "agent-1")).build(),
            span("0000000000000002", 400, str("gen_ai.operation.name", "chat"), str("gen_ai.agent.id", "agent-1"),
                    integer("gen_ai.usage.input_tokens", 100), integer("gen_ai.usage.output_tokens", 20)).build(),
            span("0000000000000003", 5, str("http.request.method", "GET")).build(),
            span("0000000000000004", 5, str("gen_ai.operation.name", "chat"), integer("gen_ai.usage.input_tokens", -1)).build());

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MockProducer<String, AgentEvent> producer;
    private IngestGateway gateway;

    private IngestGateway start(boolean autoComplete, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(
                "AGENTWATCH_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "AGENTWATCH_HTTP_PORT", "0",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
        all.putAll(env);
        GatewayConfig config = GatewayConfig.from(Settings.load(GatewaySettings.ALL, null, all, Map.of()), Map.of());
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        producer = new MockProducer<>(autoComplete, null, new StringSerializer(), new AvroWireSerializer<>(registry, false, true));
        gateway = IngestGateway.startWith(config, ServiceMetrics.create("test"), registry, producer);
        return gateway;
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldPublishTheGenAiSpansOfAProtobufRequestAndReportTheRejectedOneAsPartialSuccess() throws Exception {
        start(true, Map.of());

        HttpResponse<byte[]> response = post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(OtlpResponses.PROTOBUF);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("span 0000000000000004: input_tokens: must be >= 0");
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("agent-1", "agent-1");
        assertThat(producer.history()).extracting(r -> r.value().getSpanId()).containsExactly("0000000000000001", "0000000000000002");
    }

    @Test
    void shouldAcceptGzippedOtlpJsonAndAnswerInJson() throws Exception {
        start(true, Map.of());
        String body = """
                {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]},
                  "scopeSpans": [{"spans": [{"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1112131415161718",
                    "startTimeUnixNano": "1768471200000000000", "endTimeUnixNano": "1768471201000000000", "kind": 3,
                    "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                   {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "42"}}]}]}]}]}
                """;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<byte[]> response = post("/v1/traces", "application/json", gz.toByteArray(), "Content-Encoding", "gzip");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        AgentEvent e = producer.history().get(0).value();
        assertThat(e.getAgentId()).isEqualTo("svc");
        assertThat(e.getInputTokens()).isEqualTo(42L);
        assertThat(e.getLatencyMs()).isEqualTo(1000L);
    }

    @Test
    void shouldRefuseBadRequestsWithOtlpStatusBodies() throws Exception {
        start(true, Map.of("AGENTWATCH_HTTP_MAX_REQUEST_BYTES", "2048"));

        HttpResponse<byte[]> wrongType = post("/v1/traces", "text/plain", new byte[] {1});
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(OtlpResponses.statusMessage(wrongType.body())).contains("unsupported Content-Type 'text/plain'");

        HttpResponse<byte[]> garbage = post("/v1/traces", OtlpResponses.PROTOBUF, new byte[] {(byte) 0xff, 0x01, 0x02});
        assertThat(garbage.statusCode()).isEqualTo(400);

        HttpResponse<byte[]> tooLarge = post("/v1/traces", OtlpResponses.PROTOBUF, new byte[4096]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(OtlpResponses.statusMessage(tooLarge.body())).contains("larger than 2048 bytes");

        HttpResponse<byte[]> badJson = post("/v1/traces", "application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("message").asText()).contains("malformed JSON");

        HttpResponse<String> getIt = get("/v1/traces");
        assertThat(getIt.statusCode()).isEqualTo(405);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRequireAKnownBearerTokenAndStampTheTokensTenant(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "tok-acme acme\n");
        start(true, Map.of("AGENTWATCH_AUTH_TOKENS_FILE", tokens.toString()));

        HttpResponse<byte[]> anonymous = post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        HttpResponse<byte[]> wrong = post("/v1/events", "application/json", "{\"agent_id\": \"a\"}".getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer tok-other");
        assertThat(wrong.statusCode()).isEqualTo(401);

        HttpResponse<byte[]> ok = post("/v1/events", "application/json",
                "[{\"agent_id\": \"a\"}, {\"agent_id\": \"b\", \"tenant\": \"globex\"}]".getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer tok-acme");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("errors").get(0).get("error").asText()).contains("tenant 'globex'");
        assertThat(producer.history()).singleElement().satisfies(r -> assertThat(r.value().getTenant()).isEqualTo("acme"));
    }

    @Test
    void shouldPublishTheValidItemsOfAJsonBatchAndListTheInvalidOnesByIndexAndField() throws Exception {
        start(true, Map.of());
        String body = """
                [{"agent_id": "a", "input_tokens": 5},
                 {"input_tokens": 5},
                 {"agent_id": "b", "output_tokens": -2},
                 {"agent_id": "c", "status": "MAYBE"},
                 {"agent_id": "d", "latency_ms": "slow"},
                 {"agent_id": "e"}]
                """;

        HttpResponse<byte[]> response = post("/v1/events", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("rejected").asInt()).isEqualTo(4);
        assertThat(answer.get("errors")).extracting(n -> n.get("index").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(answer.get("errors")).extracting(n -> n.get("field").asText())
                .containsExactly("agent_id", "output_tokens", "status", "latency_ms");
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("a", "e");
    }

    @Test
    void shouldAnswer400WhenEveryItemIsInvalidAnd413ForAnOversizedBody() throws Exception {
        start(true, Map.of("AGENTWATCH_HTTP_MAX_REQUEST_BYTES", "1024"));
        HttpResponse<byte[]> invalid = post("/v1/events", "application/x-ndjson",
                "{\"agent_id\": 1}\n{\"agent_id\": \"x\", \"confidence\": 2}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("rejected").asInt()).isEqualTo(2);

        HttpResponse<byte[]> huge = post("/v1/events", "application/json",
                ("[" + "{\"agent_id\": \"a\"},".repeat(100) + "{\"agent_id\": \"a\"}]").getBytes(StandardCharsets.UTF_8));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(json(huge).get("error").asText()).startsWith("body: request body larger than 1024 bytes");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldAnswer503WithRetryAfterAndListTheFailedItemsWhenKafkaRefuses() throws Exception {
        start(false, Map.of("AGENTWATCH_BACKPRESSURE_RETRY_AFTER", "3s"));
        CompletableFuture<HttpResponse<byte[]>> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/events", "application/json", "[{\"agent_id\": \"a\"}, {\"agent_id\": \"b\"}]".getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
        producer.completeNext();
        producer.errorNext(new NetworkException("broker went away"));

        HttpResponse<byte[]> response = pending.get();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("3");
        JsonNode answer = json(response);
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("failed").asInt()).isEqualTo(1);
        assertThat(answer.get("failures").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(answer.get("failures").get(0).get("error").asText()).contains("broker went away");

        HttpResponse<byte[]> next = post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
        assertThat(next.statusCode()).as("the failure hold answers at once").isEqualTo(503);
        assertThat(OtlpResponses.statusMessage(next.body())).contains("unavailable");
    }

    @Test
    void shouldAnswer503WhenKafkaDoesNotAcknowledgeInTimeThenRefuseWhileStalledAndRecoverOnceAcknowledged() throws Exception {
        start(false, Map.of("AGENTWATCH_PUBLISH_TIMEOUT", "300ms", "AGENTWATCH_BACKPRESSURE_STALL_TIMEOUT", "200ms"));

        HttpResponse<byte[]> slow = post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(slow.headers().firstValue("Retry-After")).isPresent();
        assertThat(OtlpResponses.statusMessage(slow.body())).contains("2 of 2 events were not acknowledged");

        HttpResponse<byte[]> stalled = post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
        assertThat(stalled.statusCode()).isEqualTo(503);
        assertThat(OtlpResponses.statusMessage(stalled.body())).contains("has not acknowledged");
        assertThat(producer.history()).as("nothing more handed to the producer while stalled").hasSize(2);

        while (producer.completeNext()) {
            // Kafka is back: the backlog is acknowledged
        }
        CompletableFuture<HttpResponse<byte[]>> again = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 4);
        while (producer.completeNext()) {
            // acknowledge the retried request
        }
        assertThat(again.get().statusCode()).isEqualTo(200);
    }

    @Test
    void shouldDrainInFlightRequestsOnCloseAndRefuseNewOnes() throws Exception {
        start(false, Map.of("AGENTWATCH_PUBLISH_TIMEOUT", "20s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/ready").statusCode() == 200);
        CompletableFuture<HttpResponse<byte[]>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/ready").statusCode() == 503);
        HttpResponse<byte[]> late = post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(OtlpResponses.statusMessage(late.body())).contains("shutting down");
        assertThat(closing).isNotDone();

        while (producer.completeNext()) {
            // Kafka acknowledges the in-flight request's events
        }
        assertThat(inFlight.get().statusCode()).isEqualTo(200);
        closing.get();
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void shouldExposeExactlyTheMetricsTheReadmeLists() throws Exception {
        start(true, Map.of());
        post("/v1/traces", OtlpResponses.PROTOBUF, AGENT_RUN.toByteArray());
        String scrape = get("/metrics").body();

        Set<String> exposed = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(agentwatch_gateway_[a-z_]+?)(_bucket|_count|_sum|_max)?[{ ]").matcher(scrape);
        while (m.find()) {
            exposed.add(m.group(1));
        }
        Set<String> documented = new TreeSet<>();
        Matcher d = Pattern.compile("`(agentwatch_gateway_[a-z_]+)`").matcher(Files.readString(Path.of("README.md")));
        while (d.find()) {
            documented.add(d.group(1));
        }
        assertThat(exposed).isNotEmpty().isEqualTo(documented);
        assertThat(scrape).contains("agentwatch_gateway_spans_received_total{encoding=\"protobuf\",service=\"test\"} 4.0");
        assertThat(scrape).contains("agentwatch_gateway_spans_ignored_total{service=\"test\"} 1.0");
        assertThat(scrape).contains("agentwatch_gateway_events_published_total{service=\"test\",source=\"otlp\"} 2.0");
        assertThat(scrape).contains("agentwatch_gateway_events_rejected_total{service=\"test\",source=\"otlp\"} 1.0");
    }
}
