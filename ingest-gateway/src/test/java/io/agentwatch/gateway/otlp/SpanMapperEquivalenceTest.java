package io.agentwatch.gateway.otlp;

import static io.agentwatch.gateway.testing.Spans.T0_MILLIS;
import static io.agentwatch.gateway.testing.Spans.bool;
import static io.agentwatch.gateway.testing.Spans.dbl;
import static io.agentwatch.gateway.testing.Spans.id;
import static io.agentwatch.gateway.testing.Spans.integer;
import static io.agentwatch.gateway.testing.Spans.resource;
import static io.agentwatch.gateway.testing.Spans.span;
import static io.agentwatch.gateway.testing.Spans.str;
import static io.agentwatch.gateway.testing.Spans.withError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.agentwatch.gateway.AttributeFilter;
import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.bench.SpanTemplate;
import io.agentwatch.gateway.pricing.PriceTable;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast protobuf reader must map every span exactly as the message path does (same events, same rejections). */
class SpanMapperEquivalenceTest {
    private static final long NOW = T0_MILLIS + 60_000;
    private final SpanMapper mapper = new SpanMapper(
            new PriceTable(Map.of("gpt-4o", new PriceTable.Price(0.0025, 0.01))),
            new AttributeFilter(List.of("agentwatch.team", "deployment.environment.name", "lane.*")), new EventRules(300_000));

    private List<SpanMapper.Result> viaMessages(ExportTraceServiceRequest request, Caller caller) {
        List<SpanMapper.Result> out = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            SpanMapper.ResourceContext ctx = mapper.resource(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    out.add(mapper.map(ctx, s, caller, NOW));
                }
            }
        }
        return out;
    }

    private List<SpanMapper.Result> viaBytes(byte[] body, Caller caller) throws OtlpDecodeException {
        List<SpanMapper.Result> out = new ArrayList<>();
        OtlpProtoReader.read(body, mapper, caller, NOW, (r, hex) -> out.add(r));
        return out;
    }

    private void assertSame(ExportTraceServiceRequest request, Caller caller) throws Exception {
        List<SpanMapper.Result> expected = viaMessages(request, caller);
        assertThat(viaBytes(request.toByteArray(), caller)).isEqualTo(expected);
    }

    private static ExportTraceServiceRequest varied() {
        Resource res = resource(str("service.name", "svc"), str("service.version", "9"), str("agentwatch.team", "payments"),
                str("deployment.environment.name", "prod"), str("gen_ai.agent.name", "resource-agent"), str("agentwatch.tenant", "acme"));
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(res).addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span("0000000000000001", 1200, str("gen_ai.operation.name", "chat"), str("gen_ai.request.model", "gpt-4o-2024-08-06"),
                                integer("gen_ai.usage.input_tokens", 1000), str("gen_ai.usage.output_tokens", "250"),
                                str("gen_ai.conversation.id", "c1"), str("lane.model", "fast"), integer("lane.tier", 3), bool("lane.flag", true),
                                KeyValue.newBuilder().setKey("lane.list").setValue(AnyValue.newBuilder().setArrayValue(
                                        ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("x")))).build())
                                .setParentSpanId(id("00000000000000aa")))
                        .addSpans(withError(span("0000000000000002", 30, str("gen_ai.tool.name", "search"),
                                str("gen_ai.tool.call.arguments", "{\"q\":1}")), "deadline exceeded"))
                        .addSpans(withError(span("0000000000000003", 30, str("gen_ai.operation.name", "chat")), "x")
                                .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(str("exception.type", "openai.APIError"))))
                        .addSpans(span("0000000000000004", 5, str("http.request.method", "GET")))
                        .addSpans(span("0000000000000005", 5, str("gen_ai.operation.name", "invoke_agent"), dbl("agentwatch.confidence", 1.5)))
                        .addSpans(span("0000000000000006", 5, str("gen_ai.operation.name", "invoke_agent"), str("agentwatch.outcome", "nope")))
                        .addSpans(span("0000000000000007", 5, str("gen_ai.system", "anthropic"), integer("gen_ai.usage.prompt_tokens", 7),
                                integer("gen_ai.usage.completion_tokens", 8), str("agentwatch.outcome", "escalated"),
                                str("agentwatch.approval", "rejected"), integer("agentwatch.retry_count", 4), dbl("agentwatch.cost_usd", 0.5),
                                str("agentwatch.iteration", "3"), dbl("agentwatch.max_iterations", 10.0), str("session.id", "s-9"),
                                str("error.type", "timeout"), str("agentwatch.tenant", "acme")))
                        .addSpans(span("0000000000000008", 5, str("gen_ai.operation.name", "chat"), str("agentwatch.tenant", "globex")))
                        .addSpans(span("0000000000000009", 5, str("gen_ai.operation.name", "chat")).setTraceId(id("00")))
                        .addSpans(span("000000000000000a", 5, str("gen_ai.operation.name", "chat"), str("gen_ai.usage.input_tokens", "lots")))))
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span("000000000000000b", 5, str("gen_ai.operation.name", "embeddings")))))
                .build();
    }

    @Test
    void shouldMapAVariedRequestExactlyAsTheMessagePathForEveryKindOfCaller() throws Exception {
        for (Caller caller : List.of(Caller.ANONYMOUS, Caller.ofTenant("acme"))) {
            assertSame(varied(), caller);
        }
        List<SpanMapper.Result> results = viaMessages(varied(), Caller.ANONYMOUS);
        assertThat(results).filteredOn(r -> r.event() != null).hasSizeGreaterThan(4);
        assertThat(results).filteredOn(r -> r.rejection() != null).hasSizeGreaterThan(3);
        assertThat(results).filteredOn(SpanMapper.Result::ignored).hasSize(1);
    }

    @Test
    void shouldMapTheBenchmarkRequestExactlyAsTheMessagePath() throws Exception {
        byte[] body = SpanTemplate.build(60, 7, T0_MILLIS * 1_000_000L, false).body(42L);
        assertSame(ExportTraceServiceRequest.parseFrom(body), Caller.ANONYMOUS);
    }

    @Test
    void shouldReadFieldsInAnyOrderAsProtobufDoes() throws Exception {
        // a ResourceSpans whose scope_spans come before its resource, and a span whose attributes come before its ids
        Span span = span("0000000000000001", 10, str("gen_ai.operation.name", "chat")).build();
        ByteArrayOutputStream spanBytes = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(spanBytes);
        for (KeyValue kv : span.getAttributesList()) {
            s.writeMessage(9, kv);
        }
        s.writeFixed64(8, span.getEndTimeUnixNano());
        s.writeFixed64(7, span.getStartTimeUnixNano());
        s.writeBytes(2, span.getSpanId());
        s.writeBytes(1, span.getTraceId());
        s.writeUInt32(99, 7);
        s.flush();
        ByteArrayOutputStream scope = new ByteArrayOutputStream();
        CodedOutputStream sc = CodedOutputStream.newInstance(scope);
        sc.writeByteArray(2, spanBytes.toByteArray());
        sc.flush();
        ByteArrayOutputStream rs = new ByteArrayOutputStream();
        CodedOutputStream r = CodedOutputStream.newInstance(rs);
        r.writeByteArray(2, scope.toByteArray());
        r.writeMessage(1, resource(str("service.name", "late-resource")));
        r.flush();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        CodedOutputStream q = CodedOutputStream.newInstance(req);
        q.writeByteArray(1, rs.toByteArray());
        q.flush();
        byte[] body = req.toByteArray();

        List<SpanMapper.Result> fast = viaBytes(body, Caller.ANONYMOUS);
        assertThat(fast).isEqualTo(viaMessages(ExportTraceServiceRequest.parseFrom(body), Caller.ANONYMOUS));
        assertThat(fast.get(0).event().getAgentId()).isEqualTo("late-resource");
    }

    @Test
    void shouldRefuseTruncatedOrCorruptBytesWithADecodeExceptionOnly() throws Exception {
        byte[] body = varied().toByteArray();
        assertThatThrownBy(() -> viaBytes(java.util.Arrays.copyOf(body, body.length - 3), Caller.ANONYMOUS))
                .isInstanceOf(OtlpDecodeException.class);
        Random random = new Random(7);
        int bothRead = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] mutated = body.clone();
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            List<SpanMapper.Result> fast;
            try {
                fast = viaBytes(mutated, Caller.ANONYMOUS);
            } catch (OtlpDecodeException e) {
                continue;
            }
            ExportTraceServiceRequest parsed;
            try {
                parsed = ExportTraceServiceRequest.parseFrom(mutated);
            } catch (InvalidProtocolBufferException e) {
                continue; // protobuf is stricter about UTF-8 and unknown wire types; not a disagreement about meaning
            }
            assertThat(fast).as("mutation %d", i).isEqualTo(viaMessages(parsed, Caller.ANONYMOUS));
            bothRead++;
        }
        assertThat(bothRead).as("some mutations still parse").isGreaterThan(100);
    }
}
