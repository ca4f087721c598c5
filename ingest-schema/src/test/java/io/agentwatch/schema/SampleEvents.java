package io.agentwatch.schema;

import java.time.Instant;
import java.util.Map;

/** Typical events for tests: a chat step with every common field set, as the fleet sends them. */
public final class SampleEvents {
    public static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");

    private SampleEvents() {
    }

    public static AgentEvent chat() {
        return AgentEvent.newBuilder()
                .setEventId("5f0c7a52-8d7e-4c53-a2f4-0c1a9b3e2d11")
                .setTimestamp(T0)
                .setAgentId("support-triage-07")
                .setAgentName("support triage")
                .setAgentVersion("2026.11.3")
                .setTenant("acme")
                .setWorkflow("ticket-triage")
                .setSessionId("sess-8c61f2d0")
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setSpanId("00f067aa0ba902b7")
                .setParentSpanId("a3ce929d0e0e4736")
                .setOperation(Operation.CHAT)
                .setProvider("openai")
                .setModel("gpt-4o-mini")
                .setStatus(Status.OK)
                .setLatencyMs(1840L)
                .setInputTokens(1250L)
                .setOutputTokens(310L)
                .setCostUsd(0.00037)
                .setRetryCount(0)
                .setIteration(2)
                .setMaxIterations(10)
                .setConfidence(0.82)
                .setAttributes(Map.of("risk", "low", "team", "support"))
                .build();
    }
}
