package io.agentwatch.testsupport;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import java.time.Instant;
import java.util.Map;

/** Typical AgentEvents for the ITs, at fixed times (no wall clock in fixtures). */
final class TestEvents {
    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    private TestEvents() {
    }

    static AgentEvent typical(int i) {
        return AgentEvent.newBuilder()
                .setEventId("00000000-0000-4000-8000-" + String.format("%012d", i))
                .setTimestamp(T0.plusMillis(i * 250L))
                .setAgentId("agent-" + (i % 3))
                .setAgentName("support-triage")
                .setAgentVersion("v1.4." + (i % 2))
                .setTenant("acme")
                .setWorkflow("refunds")
                .setSessionId("session-" + (i % 5))
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setSpanId(String.format("%016x", 0xabc00L + i))
                .setParentSpanId("00f067aa0ba902b7")
                .setOperation(i % 2 == 0 ? Operation.CHAT : Operation.EXECUTE_TOOL)
                .setProvider("anthropic")
                .setModel("claude-sonnet")
                .setStatus(i % 7 == 0 ? Status.ERROR : Status.OK)
                .setErrorType(i % 7 == 0 ? "rate_limit" : null)
                .setLatencyMs(800L + i)
                .setInputTokens(1200L + i)
                .setOutputTokens(300L + i)
                .setCostUsd(0.0042 + i / 10_000.0)
                .setToolName(i % 2 == 0 ? null : "search_orders")
                .setToolArgsHash(i % 2 == 0 ? null : "sha256:" + i)
                .setRetryCount(0)
                .setIteration(1 + i % 4)
                .setMaxIterations(10)
                .setConfidence(0.9)
                .setOutcome(i % 10 == 9 ? Outcome.SUCCEEDED : null)
                .setApproval(Approval.NOT_REQUIRED)
                .setAttributes(Map.of("risk", "low", "lane", "fast"))
                .build();
    }
}
