package io.agentwatch.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.gateway.AttributeFilter;
import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.otlp.OtlpJsonReader;
import io.agentwatch.gateway.otlp.SpanMapper;
import io.agentwatch.gateway.pricing.PriceTable;
import io.agentwatch.schema.AgentEvent;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTemplateTest {
    private static final long NOW_MS = 1_768_471_200_000L;
    private final SpanMapper mapper = new SpanMapper(PriceTable.empty(), AttributeFilter.none(), new EventRules(300_000));

    private List<AgentEvent> events(ExportTraceServiceRequest request) {
        List<AgentEvent> events = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            SpanMapper.ResourceContext ctx = mapper.resource(rs.getResource());
            for (Span s : rs.getScopeSpans(0).getSpansList()) {
                SpanMapper.Result r = mapper.map(ctx, s, Caller.ANONYMOUS, NOW_MS);
                assertThat(r.rejection()).isNull();
                events.add(r.event());
            }
        }
        return events;
    }

    @Test
    void shouldWriteTheRequestPrefixIntoEveryTraceIdSoThatEachSpanCanBeFoundOnTheTopic() throws Exception {
        for (boolean json : new boolean[] {false, true}) {
            SpanTemplate template = SpanTemplate.build(30, 5, NOW_MS * 1_000_000L, json);
            long prefix = 0x0123_4567_89ab_cdefL;
            byte[] body = template.body(prefix);
            ExportTraceServiceRequest request = json ? OtlpJsonReader.read(body) : ExportTraceServiceRequest.parseFrom(body);

            List<AgentEvent> events = events(request);
            assertThat(events).hasSize(30);
            BitSet seen = new BitSet();
            for (AgentEvent e : events) {
                assertThat(SpanTemplate.prefix(e.getTraceId())).isEqualTo(prefix);
                seen.set(SpanTemplate.spanIndex(e.getSpanId()));
            }
            assertThat(seen.cardinality()).as("every span index once").isEqualTo(30);
            assertThat(seen.nextSetBit(30)).isEqualTo(-1);
            assertThat(events(json ? OtlpJsonReader.read(template.body(prefix + 1)) : ExportTraceServiceRequest.parseFrom(template.body(prefix + 1))))
                    .extracting(AgentEvent::getEventId).doesNotContainAnyElementsOf(events.stream().map(AgentEvent::getEventId).toList());
        }
    }
}
