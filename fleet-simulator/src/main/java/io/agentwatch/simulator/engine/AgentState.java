package io.agentwatch.simulator.engine;

/**
 * What changes about one agent while a simulation runs: the counters that keep a healthy agent's errors and
 * unsuccessful runs spread out (so that no window a detector looks at can cross its threshold by bad luck),
 * which of its tools timed out on their last call, and the incident aimed at it, if any.
 */
final class AgentState {
    /** Events planned since this agent's last error event. Starts high: an agent may err from the start. */
    int eventsSinceError = Integer.MAX_VALUE / 2;
    /** Runs planned since this agent's last run that did not succeed. */
    int runsSinceNonSuccess = Integer.MAX_VALUE / 2;
    /** Bit per tool slot: did the last call of that tool time out. */
    int toolTimedOut;
    /** Runs of this agent that its incident has shaped so far. */
    int shapedRuns;
    /** The incident aimed at this agent, or null. */
    IncidentHooks incident;
}
