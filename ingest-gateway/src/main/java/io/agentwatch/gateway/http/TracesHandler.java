package io.agentwatch.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import io.agentwatch.gateway.GatewayConfig;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.otlp.OtlpDecodeException;
import io.agentwatch.gateway.otlp.OtlpJsonReader;
import io.agentwatch.gateway.otlp.OtlpProtoReader;
import io.agentwatch.gateway.otlp.OtlpResponses;
import io.agentwatch.gateway.otlp.SpanMapper;
import io.agentwatch.gateway.publish.Backpressure;
import io.agentwatch.gateway.publish.EventPublisher;
import io.agentwatch.gateway.publish.PublishBatch;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.service.Responses;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/traces}: the OTLP/HTTP trace receiver, binary protobuf or JSON, gzip or not. GenAI spans become
 * AgentEvents; the answer is OTLP's: success, partial success with the number of rejected spans and why, or a
 * google.rpc.Status with 503 + Retry-After when Kafka did not acknowledge the events (the client retries the whole
 * request; the events keep their ids, so a retry duplicates nothing that consumers cannot recognise).
 */
public final class TracesHandler extends IngestHandler {
    private static final int MAX_REASONS = 5;

    private final SpanMapper mapper;
    private final EventPublisher publisher;

    public TracesHandler(GatewayConfig config, Backpressure backpressure, GatewayMetrics metrics, SpanMapper mapper, EventPublisher publisher) {
        super(GatewayMetrics.TRACES, config, backpressure, metrics);
        this.mapper = mapper;
        this.publisher = publisher;
    }

    @Override
    protected boolean answersInJson(String contentType) {
        return isJson(contentType);
    }

    @Override
    protected String unsupportedContentType(String contentType) {
        if (contentType == null) {
            return "Content-Type is missing: send application/x-protobuf or application/json";
        }
        String type = baseType(contentType);
        if (type.equals(OtlpResponses.PROTOBUF) || type.equals("application/protobuf") || type.equals(OtlpResponses.JSON)) {
            return null;
        }
        return "unsupported Content-Type '" + type + "': send application/x-protobuf or application/json";
    }

    @Override
    protected void sendError(HttpExchange exchange, boolean json, int status, String message) throws IOException {
        int code = switch (status) {
            case 400, 405, 413, 415 -> OtlpResponses.INVALID_ARGUMENT;
            case 401 -> OtlpResponses.UNAUTHENTICATED;
            case 429 -> OtlpResponses.RESOURCE_EXHAUSTED;
            case 503 -> OtlpResponses.UNAVAILABLE;
            default -> OtlpResponses.INTERNAL;
        };
        Responses.send(exchange, status, json ? OtlpResponses.JSON : OtlpResponses.PROTOBUF, OtlpResponses.status(json, code, message));
    }

    @Override
    protected int ingest(HttpExchange exchange, String contentType, Caller caller, byte[] body) throws IOException, InterruptedException {
        boolean json = isJson(contentType);
        long now = System.currentTimeMillis();
        Tally tally = new Tally();
        try {
            if (json) {
                ExportTraceServiceRequest request = OtlpJsonReader.read(body);
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    SpanMapper.ResourceContext resource = mapper.resource(rs.getResource());
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span span : ss.getSpansList()) {
                            SpanMapper.Result r = mapper.map(resource, span, caller, now);
                            tally.accept(r, r.rejection() == null ? null : HexFormat.of().formatHex(span.getSpanId().toByteArray()));
                        }
                    }
                }
            } else {
                OtlpProtoReader.read(body, mapper, caller, now, tally);
            }
        } catch (OtlpDecodeException e) {
            return error(exchange, json, 400, "not an OTLP " + (json ? "JSON" : "protobuf") + " trace export request: " + e.getMessage(), 0);
        }
        (json ? metrics.spansReceivedJson : metrics.spansReceivedProtobuf).increment(tally.spans);
        metrics.spansIgnored.increment(tally.ignored);
        metrics.rejected(GatewayMetrics.SOURCE_OTLP).increment(tally.rejected);
        metrics.unpriced.increment(tally.unpriced);

        List<AgentEvent> events = tally.events;
        if (!events.isEmpty()) {
            PublishBatch batch = publisher.publish(events);
            boolean settled = batch.await(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            int acknowledged = batch.acknowledgedCount();
            metrics.published(GatewayMetrics.SOURCE_OTLP).increment(acknowledged);
            if (!settled || batch.failedCount() > 0) {
                int missing = events.size() - acknowledged;
                metrics.failed(GatewayMetrics.SOURCE_OTLP).increment(missing);
                String cause = settled ? describe(batch.firstError()) : "no acknowledgement within " + config.publishTimeout().toMillis() + " ms";
                return error(exchange, json, 503, missing + " of " + events.size() + " events were not acknowledged by Kafka ("
                        + cause + "); retry the request", config.retryAfterSeconds());
            }
        }
        Responses.send(exchange, 200, json ? OtlpResponses.JSON : OtlpResponses.PROTOBUF,
                OtlpResponses.success(json, tally.rejected, tally.rejectionMessage()));
        return 200;
    }

    /** Counts the outcomes of a request's spans and keeps its events and the first few rejection reasons. */
    private static final class Tally implements OtlpProtoReader.SpanSink {
        final List<AgentEvent> events = new ArrayList<>();
        final List<String> reasons = new ArrayList<>(MAX_REASONS);
        int spans;
        int ignored;
        int rejected;
        int unpriced;

        @Override
        public void accept(SpanMapper.Result r, String spanIdHex) {
            spans++;
            if (r.event() != null) {
                events.add(r.event());
                if (r.unpriced()) {
                    unpriced++;
                }
            } else if (r.rejection() != null) {
                rejected++;
                if (reasons.size() < MAX_REASONS) {
                    reasons.add("span " + spanIdHex + ": " + r.rejection());
                }
            } else {
                ignored++;
            }
        }

        String rejectionMessage() {
            if (rejected == 0) {
                return null;
            }
            return rejected + " span(s) rejected: " + String.join("; ", reasons)
                    + (rejected > reasons.size() ? "; and " + (rejected - reasons.size()) + " more" : "");
        }
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
