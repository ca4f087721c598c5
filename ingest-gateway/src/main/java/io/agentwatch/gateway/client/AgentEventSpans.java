package io.agentwatch.gateway.client;

import com.google.protobuf.ByteString;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Writes AgentEvents as the OpenTelemetry GenAI spans an instrumented agent would emit, with the attributes the
 * gateway reads back (module README): for the demo, which sends part of its simulated fleet through the gateway
 * as OTLP, and for tests. The gateway turns such a span back into the same event, except the event id (derived
 * from the trace and span ids), a TIMEOUT or CANCELLED status whose error_type does not say so (it comes back as
 * ERROR), and attributes that are not on the gateway's allow-list.
 */
public final class AgentEventSpans {
    private static final HexFormat HEX = HexFormat.of();

    private AgentEventSpans() {
    }

    /** One request, one span per event, under a resource named {@code serviceName}. */
    public static ExportTraceServiceRequest toRequest(Collection<AgentEvent> events, String serviceName) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("agentwatch"));
        for (AgentEvent e : events) {
            scope.addSpans(toSpan(e));
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(str("service.name", serviceName)))
                        .addScopeSpans(scope))
                .build();
    }

    public static Span toSpan(AgentEvent e) {
        long start = e.getTimestamp().toEpochMilli() * 1_000_000L;
        Span.Builder s = Span.newBuilder()
                .setTraceId(id(e.getTraceId(), 16, "trace:" + e.getEventId()))
                .setSpanId(id(e.getSpanId(), 8, "span:" + e.getEventId()))
                .setName(e.getOperation().name().toLowerCase(Locale.ROOT) + " " + e.getAgentId())
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(start);
        if (e.getParentSpanId() != null) {
            s.setParentSpanId(id(e.getParentSpanId(), 8, null));
        }
        if (e.getLatencyMs() != null) {
            s.setEndTimeUnixNano(start + e.getLatencyMs() * 1_000_000L);
        }
        s.addAttributes(str("gen_ai.operation.name", e.getOperation().name().toLowerCase(Locale.ROOT)));
        s.addAttributes(str("gen_ai.agent.id", e.getAgentId()));
        optional(s, "gen_ai.agent.name", e.getAgentName());
        optional(s, "gen_ai.agent.version", e.getAgentVersion());
        optional(s, "agentwatch.tenant", e.getTenant());
        optional(s, "gen_ai.workflow.name", e.getWorkflow());
        optional(s, "gen_ai.conversation.id", e.getSessionId());
        optional(s, "gen_ai.provider.name", e.getProvider());
        optional(s, "gen_ai.request.model", e.getModel());
        optional(s, "gen_ai.tool.name", e.getToolName());
        optional(s, "agentwatch.tool_args_hash", e.getToolArgsHash());
        if (e.getInputTokens() != null) {
            s.addAttributes(integer("gen_ai.usage.input_tokens", e.getInputTokens()));
        }
        if (e.getOutputTokens() != null) {
            s.addAttributes(integer("gen_ai.usage.output_tokens", e.getOutputTokens()));
        }
        if (e.getCostUsd() != null) {
            s.addAttributes(dbl("agentwatch.cost_usd", e.getCostUsd()));
        }
        if (e.getRetryCount() != null) {
            s.addAttributes(integer("agentwatch.retry_count", e.getRetryCount()));
        }
        if (e.getIteration() != null) {
            s.addAttributes(integer("agentwatch.iteration", e.getIteration()));
        }
        if (e.getMaxIterations() != null) {
            s.addAttributes(integer("agentwatch.max_iterations", e.getMaxIterations()));
        }
        if (e.getConfidence() != null) {
            s.addAttributes(dbl("agentwatch.confidence", e.getConfidence()));
        }
        if (e.getOutcome() != null) {
            s.addAttributes(str("agentwatch.outcome", e.getOutcome().name()));
        }
        if (e.getApproval() != null) {
            s.addAttributes(str("agentwatch.approval", e.getApproval().name()));
        }
        for (Map.Entry<String, String> a : e.getAttributes().entrySet()) {
            s.addAttributes(str(a.getKey(), a.getValue()));
        }
        Status status = e.getStatus();
        if (status == Status.OK) {
            s.setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK));
        } else if (status != Status.UNKNOWN) {
            String type = e.getErrorType() != null ? e.getErrorType() : switch (status) {
                case TIMEOUT -> "timeout";
                case CANCELLED -> "cancelled";
                default -> "error";
            };
            s.addAttributes(str("error.type", type));
            s.setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                    .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage(status.name().toLowerCase(Locale.ROOT)));
        }
        return s.build();
    }

    /** The event's hex id, or (when it has none or it is malformed) one derived from {@code seed}. */
    private static ByteString id(String hex, int bytes, String seed) {
        if (hex != null && hex.length() == bytes * 2) {
            try {
                return ByteString.copyFrom(HEX.parseHex(hex));
            } catch (IllegalArgumentException ignored) {
                // derive one below
            }
        }
        if (seed == null) {
            return ByteString.EMPTY;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return ByteString.copyFrom(d, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void optional(Span.Builder s, String key, String value) {
        if (value != null && !value.isEmpty()) {
            s.addAttributes(str(key, value));
        }
    }

    private static KeyValue str(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static KeyValue integer(String k, long v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
    }

    private static KeyValue dbl(String k, double v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setDoubleValue(v)).build();
    }
}
