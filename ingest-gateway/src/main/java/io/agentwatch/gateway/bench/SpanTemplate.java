package io.agentwatch.gateway.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One OTLP export request of realistic GenAI agent runs (invoke_agent -> chat -> execute_tool, with usage, model,
 * tool and agentwatch attributes), encoded once; each request of the benchmark is a copy with its own 8-byte
 * prefix written into every trace id, so that every request carries distinct trace ids (hence distinct event ids)
 * without re-encoding. Trace ids are {@code prefix(8) 00000000 traceIndex(4)}, span ids
 * {@code traceIndex(4) spanNo(4)}, so a record on the topic says which request and span it came from.
 */
public final class SpanTemplate {
    /** Spans per agent run: invoke_agent, chat, execute_tool. */
    public static final int SPANS_PER_RUN = 3;
    private static final byte[] MARKER = {(byte) 0xa5, 0x5a, (byte) 0xc3, 0x3c, (byte) 0x96, 0x69, 0x0f, (byte) 0xf0};
    private static final String MARKER_HEX = HexFormat.of().formatHex(MARKER);
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "claude-3-5-haiku"};
    private static final String[] TOOLS = {"search_kb", "lookup_order", "issue_refund", "send_email", "run_sql"};

    private final byte[] body;
    private final int[] idOffsets;
    private final boolean json;
    private final int runs;

    private SpanTemplate(byte[] body, int[] idOffsets, boolean json, int runs) {
        this.body = body;
        this.idOffsets = idOffsets;
        this.json = json;
        this.runs = runs;
    }

    /**
     * @param spans   spans per request, rounded up to whole agent runs of three spans
     * @param agents  distinct agent ids (spread over partitions)
     * @param startNanos event time of the spans (epoch ns)
     */
    public static SpanTemplate build(int spans, int agents, long startNanos, boolean json) {
        int runs = Math.max(1, (spans + SPANS_PER_RUN - 1) / SPANS_PER_RUN);
        ExportTraceServiceRequest request = request(runs, agents, startNanos);
        if (json) {
            byte[] body = OtlpJsonWriter.write(request);
            return new SpanTemplate(body, find(body, MARKER_HEX.getBytes(StandardCharsets.US_ASCII)), true, runs);
        }
        byte[] body = request.toByteArray();
        return new SpanTemplate(body, find(body, MARKER), false, runs);
    }

    static ExportTraceServiceRequest request(int runs, int agents, long startNanos) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("agentwatch.bench").setVersion("1"));
        for (int run = 1; run <= runs; run++) {
            String agent = "bench-agent-" + (run % agents);
            ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).put(MARKER).putInt(0).putInt(run).array());
            ByteString root = spanId(run, 1);
            long t = startNanos + run * 1_000L;
            String model = MODELS[run % MODELS.length];
            scope.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(root).setName("invoke_agent " + agent)
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setStartTimeUnixNano(t).setEndTimeUnixNano(t + 2_400_000_000L)
                    .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                    .addAttributes(str("gen_ai.agent.id", agent))
                    .addAttributes(str("gen_ai.agent.name", "Bench agent " + (run % agents)))
                    .addAttributes(str("gen_ai.conversation.id", "session-" + run))
                    .addAttributes(str("gen_ai.workflow.name", "support"))
                    .addAttributes(integer("agentwatch.iteration", 2))
                    .addAttributes(integer("agentwatch.max_iterations", 10))
                    .addAttributes(str("agentwatch.outcome", "SUCCEEDED"))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)));
            scope.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(spanId(run, 2)).setParentSpanId(root)
                    .setName("chat " + model).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(t + 10_000_000L).setEndTimeUnixNano(t + 1_810_000_000L)
                    .addAttributes(str("gen_ai.operation.name", "chat"))
                    .addAttributes(str("gen_ai.agent.id", agent))
                    .addAttributes(str("gen_ai.conversation.id", "session-" + run))
                    .addAttributes(str("gen_ai.provider.name", model.startsWith("gpt") ? "openai" : "anthropic"))
                    .addAttributes(str("gen_ai.request.model", model))
                    .addAttributes(integer("gen_ai.usage.input_tokens", 800 + run % 400))
                    .addAttributes(integer("gen_ai.usage.output_tokens", 120 + run % 80))
                    .addAttributes(dbl("agentwatch.confidence", 0.8))
                    .addAttributes(str("agentwatch.team", "support")));
            Span.Builder tool = Span.newBuilder().setTraceId(traceId).setSpanId(spanId(run, 3)).setParentSpanId(root)
                    .setName("execute_tool").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setStartTimeUnixNano(t + 1_820_000_000L).setEndTimeUnixNano(t + 2_300_000_000L)
                    .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                    .addAttributes(str("gen_ai.agent.id", agent))
                    .addAttributes(str("gen_ai.conversation.id", "session-" + run))
                    .addAttributes(str("gen_ai.tool.name", TOOLS[run % TOOLS.length]))
                    .addAttributes(str("agentwatch.tool_args_hash", Integer.toHexString(run * 31)))
                    .addAttributes(integer("agentwatch.retry_count", 0));
            if (run % 20 == 0) {
                tool.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("tool timed out"))
                        .addAttributes(str("error.type", "timeout"));
            }
            scope.addSpans(tool);
        }
        Resource resource = Resource.newBuilder()
                .addAttributes(str("service.name", "bench-fleet"))
                .addAttributes(str("service.version", "1.0.0"))
                .addAttributes(str("deployment.environment.name", "bench"))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    private static ByteString spanId(int run, int spanNo) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putInt(run).putInt(spanNo).array());
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

    private static int[] find(byte[] haystack, byte[] needle) {
        List<Integer> offsets = new ArrayList<>();
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            offsets.add(i);
            i += needle.length - 1;
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The body of one request whose trace ids carry {@code prefix}. */
    public byte[] body(long prefix) {
        byte[] copy = body.clone();
        if (json) {
            byte[] hex = HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(prefix).array()).getBytes(StandardCharsets.US_ASCII);
            for (int offset : idOffsets) {
                System.arraycopy(hex, 0, copy, offset, hex.length);
            }
        } else {
            for (int offset : idOffsets) {
                for (int i = 0; i < 8; i++) {
                    copy[offset + i] = (byte) (prefix >>> (56 - 8 * i));
                }
            }
        }
        return copy;
    }

    /** Spans per request (all of them GenAI spans). */
    public int spans() {
        return runs * SPANS_PER_RUN;
    }

    public int bytes() {
        return body.length;
    }

    public boolean json() {
        return json;
    }

    /** Index of a span within its request, from its ids: (run - 1) * 3 + (spanNo - 1); -1 if not a benchmark span. */
    public static int spanIndex(String spanIdHex) {
        if (spanIdHex == null || spanIdHex.length() != 16) {
            return -1;
        }
        int run = (int) Long.parseLong(spanIdHex.substring(0, 8), 16);
        int spanNo = (int) Long.parseLong(spanIdHex.substring(8), 16);
        return (run - 1) * SPANS_PER_RUN + (spanNo - 1);
    }

    /** The request prefix from a trace id written by {@link #body}. */
    public static long prefix(String traceIdHex) {
        return Long.parseUnsignedLong(traceIdHex.substring(0, 16), 16);
    }

    /** Minimal OTLP/JSON encoding (hex ids, integer enums, int64 as strings), as the OTLP spec defines it. */
    static final class OtlpJsonWriter {
        private static final JsonFactory FACTORY = new JsonFactory();

        static byte[] write(ExportTraceServiceRequest request) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayFieldStart("resourceSpans");
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    g.writeStartObject();
                    g.writeObjectFieldStart("resource");
                    attributes(g, rs.getResource().getAttributesList());
                    g.writeEndObject();
                    g.writeArrayFieldStart("scopeSpans");
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        g.writeStartObject();
                        g.writeObjectFieldStart("scope");
                        g.writeStringField("name", ss.getScope().getName());
                        g.writeStringField("version", ss.getScope().getVersion());
                        g.writeEndObject();
                        g.writeArrayFieldStart("spans");
                        for (Span s : ss.getSpansList()) {
                            span(g, s);
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        private static void span(JsonGenerator g, Span s) throws IOException {
            g.writeStartObject();
            g.writeStringField("traceId", HexFormat.of().formatHex(s.getTraceId().toByteArray()));
            g.writeStringField("spanId", HexFormat.of().formatHex(s.getSpanId().toByteArray()));
            if (!s.getParentSpanId().isEmpty()) {
                g.writeStringField("parentSpanId", HexFormat.of().formatHex(s.getParentSpanId().toByteArray()));
            }
            g.writeStringField("name", s.getName());
            g.writeNumberField("kind", s.getKindValue());
            g.writeStringField("startTimeUnixNano", Long.toString(s.getStartTimeUnixNano()));
            g.writeStringField("endTimeUnixNano", Long.toString(s.getEndTimeUnixNano()));
            attributes(g, s.getAttributesList());
            if (s.hasStatus()) {
                g.writeObjectFieldStart("status");
                g.writeNumberField("code", s.getStatus().getCodeValue());
                if (!s.getStatus().getMessage().isEmpty()) {
                    g.writeStringField("message", s.getStatus().getMessage());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }

        private static void attributes(JsonGenerator g, List<KeyValue> attributes) throws IOException {
            g.writeArrayFieldStart("attributes");
            for (KeyValue kv : attributes) {
                g.writeStartObject();
                g.writeStringField("key", kv.getKey());
                g.writeObjectFieldStart("value");
                AnyValue v = kv.getValue();
                switch (v.getValueCase()) {
                    case STRING_VALUE -> g.writeStringField("stringValue", v.getStringValue());
                    case INT_VALUE -> g.writeStringField("intValue", Long.toString(v.getIntValue()));
                    case DOUBLE_VALUE -> g.writeNumberField("doubleValue", v.getDoubleValue());
                    case BOOL_VALUE -> g.writeBooleanField("boolValue", v.getBoolValue());
                    default -> {
                    }
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }
}
