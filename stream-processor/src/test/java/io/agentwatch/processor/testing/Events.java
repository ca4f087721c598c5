package io.agentwatch.processor.testing;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import java.time.Instant;
import java.util.function.Consumer;

/** Builds test events: a chat step by default; time and everything else set explicitly. */
public final class Events {
    /** 2026-11-01T00:00:00Z, a minute boundary. */
    public static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static long sequence;

    private Events() {
    }

    public static AgentEvent step(String agentId, long timestamp) {
        return AgentEvent.newBuilder()
                .setEventId("ev-" + (++sequence))
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .setAgentId(agentId)
                .setTenant("acme")
                .setWorkflow("triage")
                .setSessionId("s-" + agentId + "-" + (timestamp / 600_000))
                .setTraceId(String.format("%032x", timestamp))
                .setSpanId(String.format("%016x", sequence))
                .setOperation(Operation.CHAT)
                .setModel("gpt-4o-mini")
                .setProvider("openai")
                .setStatus(Status.OK)
                .setLatencyMs(1_000L)
                .setInputTokens(800L)
                .setOutputTokens(200L)
                .setCostUsd(0.001)
                .build();
    }

    public static AgentEvent step(String agentId, long timestamp, Consumer<AgentEvent> tweak) {
        AgentEvent e = step(agentId, timestamp);
        tweak.accept(e);
        return e;
    }

    public static AgentEvent error(String agentId, long timestamp) {
        return step(agentId, timestamp, e -> e.setStatus(Status.ERROR));
    }

    public static AgentEvent run(String agentId, long timestamp, Outcome outcome, long tokens) {
        return step(agentId, timestamp, e -> {
            e.setOperation(Operation.INVOKE_AGENT);
            e.setOutcome(outcome);
            e.setInputTokens(tokens * 4 / 5);
            e.setOutputTokens(tokens - tokens * 4 / 5);
            e.setLatencyMs(20_000L);
        });
    }
}
