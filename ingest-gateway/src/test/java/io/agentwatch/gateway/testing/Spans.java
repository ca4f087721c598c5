package io.agentwatch.gateway.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/** Builders for OTLP protobuf spans in tests. */
public final class Spans {
    /** 2026-01-15T10:00:00Z in nanoseconds: a fixed, plausible event time. */
    public static final long T0_NANOS = 1_768_471_200_000_000_000L;
    public static final long T0_MILLIS = T0_NANOS / 1_000_000L;

    private Spans() {
    }

    public static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    public static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    public static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    public static KeyValue dbl(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    public static KeyValue bool(String key, boolean value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
    }

    /** A span of trace 0102..10 with the given span id, starting at T0 and lasting {@code durationMs}. */
    public static Span.Builder span(String spanIdHex, long durationMs, KeyValue... attributes) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(id("0102030405060708090a0b0c0d0e0f10"))
                .setSpanId(id(spanIdHex))
                .setName("span " + spanIdHex)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(T0_NANOS)
                .setEndTimeUnixNano(T0_NANOS + durationMs * 1_000_000L);
        for (KeyValue kv : attributes) {
            b.addAttributes(kv);
        }
        return b;
    }

    public static Span.Builder withError(Span.Builder span, String message) {
        return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
    }

    public static Resource resource(KeyValue... attributes) {
        Resource.Builder b = Resource.newBuilder();
        for (KeyValue kv : attributes) {
            b.addAttributes(kv);
        }
        return b.build();
    }

    public static ExportTraceServiceRequest request(Resource resource, Span... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span s : spans) {
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }
}
