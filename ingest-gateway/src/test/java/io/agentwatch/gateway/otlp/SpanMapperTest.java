package io.agentwatch.gateway.otlp;

import static io.agentwatch.gateway.testing.Spans.T0_MILLIS;
import static io.agentwatch.gateway.testing.Spans.dbl;
import static io.agentwatch.gateway.testing.Spans.id;
import static io.agentwatch.gateway.testing.Spans.integer;
import static io.agentwatch.gateway.testing.Spans.resource;
import static io.agentwatch.gateway.testing.Spans.span;
import static io.agentwatch.gateway.testing.Spans.str;
import static io.agentwatch.gateway.testing.Spans.withError;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.gateway.AttributeFilter;
import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.pricing.PriceTable;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanMapperTest {
    private static final long NOW = T0_MILLIS + 60_000;
    private static final Resource SERVICE = resource(str("service.name", "support-bot"), str("service.version", "2.4.1"));

    private final PriceTable prices = new PriceTable(Map.of("gpt-4o", new PriceTable.Price(0.0025, 0.01)));
    private final SpanMapper mapper = new SpanMapper(prices,
            new AttributeFilter(List.of("agentwatch.team", "deployment.environment.name", "lane.*")), new EventRules(300_000));

    private SpanMapper.Result map(Resource resource, Span.Builder span) {
        return map(resource, span, Caller.ANONYMOUS);
    }

    private SpanMapper.Result map(Resource resource, Span.Builder span, Caller caller) {
        return mapper.map(mapper.resource(resource), span.build(), caller, NOW);
    }

    private AgentEvent event(Resource resource, Span.Builder span) {
        SpanMapper.Result r = map(resource, span);
        assertThat(r.rejection()).isNull();
        assertThat(r.event()).as("an event").isNotNull();
        return r.event();
    }

    @Test
    void shouldMapAChatSpanWithUsageToAnEventWithTokensModelProviderLatencyAndLineage() {
        Span.Builder chat = span("1112131415161718", 1_250,
                str("gen_ai.operation.name", "chat"),
                str("gen_ai.agent.id", "agent-7"),
                str("gen_ai.agent.name", "Refund helper"),
                str("gen_ai.conversation.id", "conv-42"),
                str("gen_ai.workflow.name", "refunds"),
                str("gen_ai.provider.name", "openai"),
                str("gen_ai.request.model", "gpt-4o"),
                str("gen_ai.response.model", "gpt-4o-2024-08-06"),
                integer("gen_ai.usage.input_tokens", 1200),
                integer("gen_ai.usage.output_tokens", 300))
                .setParentSpanId(id("a1a2a3a4a5a6a7a8"));

        AgentEvent e = event(SERVICE, chat);

        assertThat(e.getAgentId()).isEqualTo("agent-7");
        assertThat(e.getAgentName()).isEqualTo("Refund helper");
        assertThat(e.getAgentVersion()).isEqualTo("2.4.1");
        assertThat(e.getSessionId()).isEqualTo("conv-42");
        assertThat(e.getWorkflow()).isEqualTo("refunds");
        assertThat(e.getOperation()).isEqualTo(Operation.CHAT);
        assertThat(e.getProvider()).isEqualTo("openai");
        assertThat(e.getModel()).isEqualTo("gpt-4o");
        assertThat(e.getInputTokens()).isEqualTo(1200L);
        assertThat(e.getOutputTokens()).isEqualTo(300L);
        assertThat(e.getStatus()).isEqualTo(Status.OK);
        assertThat(e.getErrorType()).isNull();
        assertThat(e.getLatencyMs()).isEqualTo(1_250L);
        assertThat(e.getTimestamp().toEpochMilli()).isEqualTo(T0_MILLIS);
        assertThat(e.getTraceId()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
        assertThat(e.getSpanId()).isEqualTo("1112131415161718");
        assertThat(e.getParentSpanId()).isEqualTo("a1a2a3a4a5a6a7a8");
        assertThat(e.getCostUsd()).isCloseTo(1.2 * 0.0025 + 0.3 * 0.01, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.getAttributes()).isEmpty();
    }

    @Test
    void shouldTakeTheAgentIdFromAgentIdThenAgentNameThenTheServiceName() {
        assertThat(event(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("gen_ai.agent.id", "id-1"), str("gen_ai.agent.name", "name-1"))).getAgentId()).isEqualTo("id-1");
        assertThat(event(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("gen_ai.agent.name", "name-1"))).getAgentId()).isEqualTo("name-1");
        assertThat(event(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"))).getAgentId())
                .isEqualTo("support-bot");
        assertThat(event(resource(str("service.name", "svc"), str("gen_ai.agent.id", "resource-agent")),
                span("0000000000000001", 5, str("gen_ai.operation.name", "chat"))).getAgentId()).isEqualTo("resource-agent");
    }

    @Test
    void shouldRejectAGenAiSpanWhenNoAgentCanBeNamed() {
        SpanMapper.Result r = map(resource(), span("0000000000000001", 5, str("gen_ai.operation.name", "chat")));
        assertThat(r.rejection()).startsWith("agent_id:");
    }

    @Test
    void shouldIgnoreSpansWithoutGenAiMeaning() {
        SpanMapper.Result r = map(SERVICE, span("0000000000000001", 5, str("http.request.method", "GET"),
                str("gen_ai.conversation.id", "c"), str("agentwatch.tenant", "acme")));
        assertThat(r.ignored()).isTrue();
    }

    @Test
    void shouldTreatUsageAgentToolModelAndAgentwatchAttributesAsGenAiMeaning() {
        for (KeyValue kv : List.of(integer("gen_ai.usage.input_tokens", 1), str("gen_ai.agent.id", "a"),
                str("gen_ai.tool.name", "search"), str("gen_ai.request.model", "m"), str("gen_ai.system", "openai"),
                dbl("agentwatch.cost_usd", 0.1), integer("agentwatch.retry_count", 1))) {
            assertThat(map(SERVICE, span("0000000000000001", 5, kv)).event()).as(kv.getKey()).isNotNull();
        }
    }

    @Test
    void shouldMapOperationNamesOfTheSemanticConventions() {
        assertThat(SpanMapper.operation("execute_tool")).isEqualTo(Operation.EXECUTE_TOOL);
        assertThat(SpanMapper.operation("invoke_agent")).isEqualTo(Operation.INVOKE_AGENT);
        assertThat(SpanMapper.operation("embeddings")).isEqualTo(Operation.EMBEDDINGS);
        assertThat(SpanMapper.operation("text_completion")).isEqualTo(Operation.CHAT);
        assertThat(SpanMapper.operation("generate_content")).isEqualTo(Operation.CHAT);
        assertThat(SpanMapper.operation("RETRIEVAL")).isEqualTo(Operation.RETRIEVAL);
        assertThat(SpanMapper.operation("create_agent")).isEqualTo(Operation.OTHER);
    }

    @Test
    void shouldInferTheOperationWhenTheSpanHasNoOperationName() {
        assertThat(event(SERVICE, span("0000000000000001", 5, str("gen_ai.tool.name", "search"))).getOperation())
                .isEqualTo(Operation.EXECUTE_TOOL);
        assertThat(event(SERVICE, span("0000000000000001", 5, str("gen_ai.request.model", "gpt-4o"))).getOperation())
                .isEqualTo(Operation.CHAT);
    }

    @Test
    void shouldUseTheOlderGenAiSystemAndResponseModelAndUsageNamesAsFallbacks() {
        AgentEvent e = event(SERVICE, span("0000000000000001", 5, str("gen_ai.system", "anthropic"),
                str("gen_ai.response.model", "claude-x"), integer("gen_ai.usage.prompt_tokens", 10),
                integer("gen_ai.usage.completion_tokens", 20)));
        assertThat(e.getProvider()).isEqualTo("anthropic");
        assertThat(e.getModel()).isEqualTo("claude-x");
        assertThat(e.getInputTokens()).isEqualTo(10L);
        assertThat(e.getOutputTokens()).isEqualTo(20L);
    }

    @Test
    void shouldMarkAFailedSpanAsErrorWithItsErrorType() {
        AgentEvent e = event(SERVICE, withError(span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("error.type", "rate_limit")), "429 from provider"));
        assertThat(e.getStatus()).isEqualTo(Status.ERROR);
        assertThat(e.getErrorType()).isEqualTo("rate_limit");
    }

    @Test
    void shouldMarkATimeoutWhenTheErrorTypeSaysSo() {
        for (String type : List.of("timeout", "java.net.SocketTimeoutException", "DEADLINE_EXCEEDED", "httpx.ReadTimeout")) {
            AgentEvent e = event(SERVICE, withError(span("0000000000000001", 5, str("gen_ai.operation.name", "execute_tool"),
                    str("error.type", type)), ""));
            assertThat(e.getStatus()).as(type).isEqualTo(Status.TIMEOUT);
            assertThat(e.getErrorType()).isEqualTo(type);
        }
        assertThat(event(SERVICE, withError(span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("error.type", "cancelled")), "")).getStatus()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void shouldCountAnErrorTypeWithoutAnOkStatusAsAFailure() {
        AgentEvent e = event(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"), str("error.type", "500")));
        assertThat(e.getStatus()).isEqualTo(Status.ERROR);
    }

    @Test
    void shouldTakeTheErrorTypeFromAnExceptionEventWhenTheSpanHasNoErrorType() {
        Span.Builder s = withError(span("0000000000000001", 5, str("gen_ai.operation.name", "chat")), "boom")
                .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(str("exception.type", "openai.APIError")));
        assertThat(event(SERVICE, s).getErrorType()).isEqualTo("openai.APIError");
    }

    @Test
    void shouldDeriveTheSameEventIdForTheSameTraceAndSpanAndAnotherForAnotherSpan() {
        String first = event(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"))).getEventId();
        String again = event(SERVICE, span("0000000000000001", 9, str("gen_ai.operation.name", "chat"))).getEventId();
        String other = event(SERVICE, span("0000000000000002", 5, str("gen_ai.operation.name", "chat"))).getEventId();
        assertThat(first).isEqualTo(again).isNotEqualTo(other);
        assertThat(java.util.UUID.fromString(first).version()).isEqualTo(3);
    }

    @Test
    void shouldReadTheAgentwatchAttributes() {
        AgentEvent e = event(SERVICE, span("0000000000000001", 5,
                str("gen_ai.operation.name", "invoke_agent"),
                dbl("agentwatch.cost_usd", 0.42),
                integer("agentwatch.retry_count", 2),
                dbl("agentwatch.confidence", 0.85),
                str("agentwatch.outcome", "manual_rescue"),
                str("agentwatch.approval", "APPROVED"),
                integer("agentwatch.iteration", 7),
                str("agentwatch.max_iterations", "10"),
                str("agentwatch.tool_args_hash", "abc123"),
                integer("gen_ai.usage.input_tokens", 1000),
                str("gen_ai.request.model", "gpt-4o")));
        assertThat(e.getCostUsd()).as("a reported cost wins over the price table").isEqualTo(0.42);
        assertThat(e.getRetryCount()).isEqualTo(2);
        assertThat(e.getConfidence()).isEqualTo(0.85);
        assertThat(e.getOutcome()).isEqualTo(Outcome.MANUAL_RESCUE);
        assertThat(e.getApproval()).isEqualTo(Approval.APPROVED);
        assertThat(e.getIteration()).isEqualTo(7);
        assertThat(e.getMaxIterations()).isEqualTo(10);
        assertThat(e.getToolArgsHash()).isEqualTo("abc123");
    }

    @Test
    void shouldHashToolCallArgumentsWhenNoArgsHashIsGivenAndNeverKeepTheArguments() {
        AgentEvent a = event(SERVICE, span("0000000000000001", 5, str("gen_ai.tool.name", "search"),
                str("gen_ai.tool.call.arguments", "{\"q\":\"refund policy\"}")));
        AgentEvent b = event(SERVICE, span("0000000000000002", 5, str("gen_ai.tool.name", "search"),
                str("gen_ai.tool.call.arguments", "{\"q\":\"refund policy\"}")));
        assertThat(a.getToolArgsHash()).hasSize(32).isEqualTo(b.getToolArgsHash());
        assertThat(a.toString()).doesNotContain("refund policy");
    }

    @Test
    void shouldRejectAnUnknownOutcomeNamingTheAttribute() {
        SpanMapper.Result r = map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "invoke_agent"),
                str("agentwatch.outcome", "GREAT")));
        assertThat(r.rejection()).startsWith("agentwatch.outcome: unknown value 'GREAT'").contains("SUCCEEDED");
    }

    @Test
    void shouldRejectANonNumericConfidenceAndTokenCountNamingTheAttribute() {
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("agentwatch.confidence", "high"))).rejection()).startsWith("agentwatch.confidence: expected a number");
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("gen_ai.usage.input_tokens", "many"))).rejection()).startsWith("gen_ai.usage.input_tokens: expected an integer");
    }

    @Test
    void shouldRejectValuesTheEventRulesForbid() {
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                integer("gen_ai.usage.output_tokens", -3))).rejection()).isEqualTo("output_tokens: must be >= 0, was -3");
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                dbl("agentwatch.confidence", 1.5))).rejection()).startsWith("confidence: must be within 0..1");
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"))
                .setStartTimeUnixNano(1_000_000L).setEndTimeUnixNano(2_000_000L)).rejection()).startsWith("timestamp: is absurd");
    }

    @Test
    void shouldRejectInvalidIds() {
        assertThat(map(SERVICE, span("0000000000000000", 5, str("gen_ai.operation.name", "chat"))).rejection())
                .startsWith("span_id:");
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"))
                .setTraceId(id("0102"))).rejection()).startsWith("trace_id:");
    }

    @Test
    void shouldLeaveTheCostEmptyForAModelWithoutPriceAndSayItIsUnpriced() {
        SpanMapper.Result r = map(SERVICE, span("0000000000000001", 5, str("gen_ai.request.model", "mystery-1"),
                integer("gen_ai.usage.input_tokens", 100)));
        assertThat(r.event().getCostUsd()).isNull();
        assertThat(r.unpriced()).isTrue();
    }

    @Test
    void shouldCopyOnlyAllowListedAttributesWithSpanValuesWinningOverResourceValues() {
        Resource res = resource(str("service.name", "svc"), str("agentwatch.team", "payments"),
                str("deployment.environment.name", "prod"), str("host.name", "node-17"));
        AgentEvent e = event(res, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("agentwatch.team", "refunds"), str("lane.model", "cheap"), str("user.id", "u-123"), integer("lane.tier", 2)));
        assertThat(e.getAttributes()).containsOnly(
                Map.entry("agentwatch.team", "refunds"),
                Map.entry("deployment.environment.name", "prod"),
                Map.entry("lane.model", "cheap"),
                Map.entry("lane.tier", "2"));
    }

    @Test
    void shouldStampTheTokensTenantAndRejectASpanThatNamesAnotherTenant() {
        Caller acme = Caller.ofTenant("acme");
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat")), acme).event().getTenant())
                .isEqualTo("acme");
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("agentwatch.tenant", "acme")), acme).event().getTenant()).isEqualTo("acme");
        assertThat(map(resource(str("service.name", "s"), str("agentwatch.tenant", "globex")),
                span("0000000000000001", 5, str("gen_ai.operation.name", "chat")), acme).rejection())
                .isEqualTo("tenant: the token is for tenant 'acme', the event names tenant 'globex'");
    }

    @Test
    void shouldKeepTheNamedTenantWhenTheCallerHasNone() {
        assertThat(map(SERVICE, span("0000000000000001", 5, str("gen_ai.operation.name", "chat"),
                str("agentwatch.tenant", "globex"))).event().getTenant()).isEqualTo("globex");
    }
}
