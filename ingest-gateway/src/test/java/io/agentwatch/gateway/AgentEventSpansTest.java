package io.agentwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.client.AgentEventSpans;
import io.agentwatch.gateway.otlp.OtlpProtoReader;
import io.agentwatch.gateway.otlp.SpanMapper;
import io.agentwatch.gateway.pricing.PriceTable;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentEventSpansTest {
    private static final Instant T = Instant.parse("2026-01-15T10:00:00Z");

    @Test
    void shouldComeBackThroughTheGatewayMappingAsTheSameEventApartFromItsId() throws Exception {
        AgentEvent full = AgentEvent.newBuilder()
                .setEventId("e-1").setTimestamp(T).setAgentId("agent-1").setAgentName("Agent One").setAgentVersion("3.1")
                .setTenant("acme").setWorkflow("refunds").setSessionId("s-1")
                .setTraceId("0102030405060708090a0b0c0d0e0f10").setSpanId("1112131415161718").setParentSpanId("2122232425262728")
                .setOperation(Operation.EXECUTE_TOOL).setProvider("openai").setModel("gpt-4o").setStatus(Status.TIMEOUT)
                .setErrorType("tool_timeout").setLatencyMs(1500L).setInputTokens(10L).setOutputTokens(20L).setCostUsd(0.25)
                .setToolName("search").setToolArgsHash("abc").setRetryCount(2).setIteration(4).setMaxIterations(10)
                .setConfidence(0.5).setOutcome(Outcome.FAILED).setApproval(Approval.APPROVED)
                .setAttributes(Map.of("agentwatch.team", "payments")).build();
        AgentEvent minimal = AgentEvent.newBuilder().setEventId("e-2").setTimestamp(T).setAgentId("agent-2")
                .setOperation(Operation.HEARTBEAT).setStatus(Status.OK).setAttributes(Map.of()).build();

        SpanMapper mapper = new SpanMapper(PriceTable.empty(), new AttributeFilter(List.of("agentwatch.team")), new EventRules(300_000));
        List<AgentEvent> back = new ArrayList<>();
        OtlpProtoReader.read(AgentEventSpans.toRequest(List.of(full, minimal), "demo-fleet").toByteArray(), mapper,
                Caller.ANONYMOUS, T.toEpochMilli(), (r, hex) -> back.add(r.event()));

        assertThat(back).hasSize(2).doesNotContainNull();
        assertThat(back.get(0)).usingRecursiveComparison().ignoringFields("event_id", "eventId").isEqualTo(full);
        AgentEvent expectedMinimal = AgentEvent.newBuilder(minimal).build();
        assertThat(back.get(1)).usingRecursiveComparison()
                .ignoringFields("event_id", "eventId", "trace_id", "traceId", "span_id", "spanId").isEqualTo(expectedMinimal);
        assertThat(back.get(1).getTraceId()).hasSize(32);
    }
}
