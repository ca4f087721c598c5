package io.agentwatch.simulator.fleet;

/**
 * One tool agents call ({@code gen_ai.tool.name}): its usual latency, the timeout after which a call is reported
 * as TIMEOUT, and whether a human must approve the call.
 */
public record ToolProfile(String name, double latencyMedianMs, long timeoutMs, boolean requiresApproval) {
}
