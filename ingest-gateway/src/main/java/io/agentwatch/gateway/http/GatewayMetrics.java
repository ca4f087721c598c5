package io.agentwatch.gateway.http;

import io.agentwatch.gateway.publish.Backpressure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's own meters, all named {@code agentwatch_gateway_*} in Prometheus (the module README lists them
 * and a test keeps that list true). Meters are created once and cached; nothing is looked up per event.
 */
public final class GatewayMetrics {
    public static final String TRACES = "traces";
    public static final String EVENTS = "events";
    public static final String SOURCE_OTLP = "otlp";
    public static final String SOURCE_JSON = "json";

    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> backpressure = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> bodies = new ConcurrentHashMap<>();
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    final Counter spansReceivedProtobuf;
    final Counter spansReceivedJson;
    final Counter spansIgnored;
    final Counter unpriced;
    final Counter authFailures;

    public GatewayMetrics(MeterRegistry registry, Backpressure bp) {
        this.registry = registry;
        this.spansReceivedProtobuf = Counter.builder("agentwatch.gateway.spans.received")
                .description("OTLP spans received, by request encoding").tag("encoding", "protobuf").register(registry);
        this.spansReceivedJson = Counter.builder("agentwatch.gateway.spans.received")
                .description("OTLP spans received, by request encoding").tag("encoding", "json").register(registry);
        this.spansIgnored = Counter.builder("agentwatch.gateway.spans.ignored")
                .description("OTLP spans without GenAI meaning, not turned into events").register(registry);
        this.unpriced = Counter.builder("agentwatch.gateway.events.unpriced")
                .description("events with token counts but no reported cost and no price for their model").register(registry);
        this.authFailures = Counter.builder("agentwatch.gateway.auth.failures")
                .description("requests refused for a missing or unknown bearer token").register(registry);
        Gauge.builder("agentwatch.gateway.inflight.requests", bp, Backpressure::inflightRequests)
                .description("requests being processed").register(registry);
        Gauge.builder("agentwatch.gateway.inflight.bytes", bp, Backpressure::inflightBytes)
                .baseUnit("bytes").description("request bytes being processed (bounded by backpressure.max.inflight.bytes)").register(registry);
        Gauge.builder("agentwatch.gateway.kafka.pending.events", bp, Backpressure::pendingEvents)
                .description("events handed to the producer and not yet acknowledged or failed").register(registry);
        Gauge.builder("agentwatch.gateway.kafka.oldest.pending", bp, Backpressure::oldestPendingSeconds)
                .baseUnit("seconds").description("age of the oldest event waiting for Kafka's acknowledgement").register(registry);
        for (String endpoint : new String[] {TRACES, EVENTS}) {
            durations(endpoint);
            body(endpoint);
            for (String code : new String[] {"200", "400", "401", "413", "415", "429", "503"}) {
                request(endpoint, Integer.parseInt(code));
            }
        }
        for (String source : new String[] {SOURCE_OTLP, SOURCE_JSON}) {
            published(source);
            rejected(source);
            failed(source);
        }
        for (Backpressure.Decision d : Backpressure.Decision.values()) {
            if (d != Backpressure.Decision.ACCEPT) {
                backpressure(d);
            }
        }
    }

    public void request(String endpoint, int status, long durationNanos) {
        request(endpoint, status).increment();
        durations(endpoint).record(durationNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Counter request(String endpoint, int status) {
        return requests.computeIfAbsent(endpoint + "|" + status, k -> Counter.builder("agentwatch.gateway.requests")
                .description("requests answered, by endpoint and HTTP status")
                .tag("endpoint", endpoint).tag("code", Integer.toString(status)).register(registry));
    }

    private Timer durations(String endpoint) {
        return durations.computeIfAbsent(endpoint, k -> Timer.builder("agentwatch.gateway.request.duration")
                .description("time from request to answer, including Kafka's acknowledgement")
                .tag("endpoint", endpoint)
                .publishPercentileHistogram()
                .register(registry));
    }

    public DistributionSummary body(String endpoint) {
        return bodies.computeIfAbsent(endpoint, k -> DistributionSummary.builder("agentwatch.gateway.request.body")
                .baseUnit("bytes").description("request body size after decompression")
                .tag("endpoint", endpoint).register(registry));
    }

    public Counter published(String source) {
        return published.computeIfAbsent(source, k -> Counter.builder("agentwatch.gateway.events.published")
                .description("events acknowledged by Kafka").tag("source", source).register(registry));
    }

    public Counter rejected(String source) {
        return rejected.computeIfAbsent(source, k -> Counter.builder("agentwatch.gateway.events.rejected")
                .description("spans or JSON items refused as invalid (reported back to the client)").tag("source", source).register(registry));
    }

    public Counter failed(String source) {
        return failed.computeIfAbsent(source, k -> Counter.builder("agentwatch.gateway.events.failed")
                .description("valid events that Kafka did not acknowledge in time (the client is told to retry)").tag("source", source).register(registry));
    }

    public Counter backpressure(Backpressure.Decision decision) {
        return backpressure.computeIfAbsent(decision.reason(), k -> Counter.builder("agentwatch.gateway.backpressure")
                .description("requests refused with 429/503 before processing, by reason")
                .tag("reason", decision.reason()).register(registry));
    }
}
