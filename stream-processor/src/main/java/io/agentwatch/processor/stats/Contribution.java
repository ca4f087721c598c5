package io.agentwatch.processor.stats;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;

/**
 * What one event adds to a pane, extracted once so that adding it to the pane and to every window aggregate is a
 * handful of additions. Mutable and reused by its processor: one per task, no allocation per event.
 *
 * <p>Counting rules (documented in the module README): heartbeats count for nothing here; latency, tokens, cost
 * and requests count steps only (not INVOKE_AGENT run events, whose usage is the sum of their steps'); a run event
 * (one with an outcome) counts as a finished run, and its tokens as the run's tokens.
 */
public final class Contribution {
    boolean error;
    boolean timeout;
    boolean request;
    long inputTokens;
    long outputTokens;
    double cost;
    int latencyIndex;
    boolean hasLatency;
    Outcome outcome;
    boolean runHasTokens;
    long runTokens;
    boolean hasConfidence;
    double confidence;

    /** Fills this contribution from an event; false for events that contribute nothing (heartbeats). */
    public boolean of(AgentEvent e) {
        Operation op = e.getOperation();
        if (op == Operation.HEARTBEAT) {
            return false;
        }
        Status status = e.getStatus();
        error = status == Status.ERROR || status == Status.TIMEOUT;
        timeout = status == Status.TIMEOUT;
        Long in = e.getInputTokens();
        Long out = e.getOutputTokens();
        boolean step = op != Operation.INVOKE_AGENT;
        request = step && (in != null || out != null);
        inputTokens = request && in != null ? in : 0;
        outputTokens = request && out != null ? out : 0;
        Double c = e.getCostUsd();
        cost = step && c != null ? c : 0;
        Long latency = e.getLatencyMs();
        hasLatency = step && latency != null;
        latencyIndex = hasLatency ? LatencySketch.indexOf(latency) : 0;
        outcome = e.getOutcome();
        runHasTokens = outcome != null && (in != null || out != null);
        runTokens = runHasTokens ? (in == null ? 0 : in) + (out == null ? 0 : out) : 0;
        Double conf = e.getConfidence();
        hasConfidence = conf != null;
        confidence = hasConfidence ? conf : 0;
        return true;
    }

    public boolean isError() {
        return error;
    }

    public boolean hasLatency() {
        return hasLatency;
    }

    public long tokens() {
        return inputTokens + outputTokens;
    }
}
