package io.agentwatch.simulator.engine;

import io.agentwatch.simulator.fleet.AgentProfile;

/** Lets an incident start a session with ids it chose in advance (so that they can be written to the ground truth). */
public interface SessionStarter {
    /**
     * Starts a session of the agent at the given time.
     *
     * @param turns   how many runs (user turns) the session has at most; it also ends at the owner's end
     * @param owner   the incident whose {@link IncidentHooks#shapeRun} shapes every run of this session
     */
    void startSession(AgentProfile agent, long startMs, String sessionId, String firstTraceId, int turns, IncidentHooks owner);
}
