package io.agentwatch.gateway.client;

import io.agentwatch.schema.AgentEvent;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A small client of the gateway's OTLP endpoint: sends AgentEvents as GenAI spans ({@link AgentEventSpans}) and
 * retries 429/503 answers after their Retry-After, like an OpenTelemetry exporter. For the demo, which routes part
 * of its fleet through the gateway. Thread-safe.
 */
public final class GatewayClient {
    private final URI traces;
    private final Optional<String> token;
    private final String serviceName;
    private final int maxAttempts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param baseUrl     the gateway, e.g. {@code http://127.0.0.1:4318}
     * @param token       bearer token, if the gateway wants one
     * @param serviceName the resource's service.name (the agent id of events without one is never empty, so it is only a label)
     * @param maxAttempts attempts per batch, at least 1
     */
    public GatewayClient(URI baseUrl, Optional<String> token, String serviceName, int maxAttempts) {
        this.traces = baseUrl.resolve("/v1/traces");
        this.token = token;
        this.serviceName = serviceName;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    /**
     * The answer to a batch.
     *
     * @param status   HTTP status of the last attempt (0: no answer)
     * @param accepted events the gateway published (all of the batch on 200, less the rejected)
     * @param rejected spans the gateway refused as invalid
     * @param message  the gateway's message, if any
     */
    public record Outcome(int status, int accepted, long rejected, String message) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** Sends the events as one OTLP request, retrying 429/503 up to the attempt limit. */
    public Outcome send(List<AgentEvent> events) throws InterruptedException {
        byte[] body = AgentEventSpans.toRequest(events, serviceName).toByteArray();
        Outcome last = new Outcome(0, 0, 0, "not sent");
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(traces)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            long retryAfterMs = 1_000;
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() == 200) {
                    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
                    long rejected = answer.getPartialSuccess().getRejectedSpans();
                    return new Outcome(200, (int) (events.size() - rejected), rejected, answer.getPartialSuccess().getErrorMessage());
                }
                last = new Outcome(response.statusCode(), 0, 0, io.agentwatch.gateway.otlp.OtlpResponses.statusMessage(response.body()));
                if (response.statusCode() != 429 && response.statusCode() != 503) {
                    return last;
                }
                retryAfterMs = response.headers().firstValue("Retry-After").map(v -> Long.parseLong(v.trim()) * 1000).orElse(1000L);
            } catch (IOException e) {
                last = new Outcome(0, 0, 0, e.toString());
            }
            if (attempt < maxAttempts) {
                Thread.sleep(Math.min(retryAfterMs, 30_000));
            }
        }
        return last;
    }
}
