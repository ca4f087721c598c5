package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.Ids;
import io.agentwatch.simulator.engine.RunConditions;
import io.agentwatch.simulator.engine.SessionStarter;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.truth.Scope;
import java.util.List;
import java.util.Map;

/**
 * A failure that travels down a hand-off chain inside one trace: the crew's lead A starts a run whose tool call
 * fails, hands its bad result to the worker B, whose first step fails and who still hands off to the specialist
 * C, whose first step fails too; all three runs end FAILED. The failures come upstream first, about a second
 * apart, and the sub-agents' INVOKE_AGENT spans have the caller's run span as parent. Healthy traces never have
 * errors in more than one agent. Detected by one CascadeFailure naming A as the root cause.
 */
final class Cascade extends Incident {
    private final String sessionId;
    private final String traceId;

    Cascade(Setup setup) {
        super(setup);
        if (setup.agents().size() != 3) {
            throw new IllegalArgumentException("a cascade needs a crew of three agents, got " + setup.agents().size());
        }
        this.sessionId = Ids.uuid(rng());
        this.traceId = Ids.traceId(rng());
    }

    /** The cascade only shapes its own trace; the crew's other runs stay healthy. */
    @Override
    public int agentIndex() {
        return -1;
    }

    @Override
    public void start(SessionStarter starter) {
        starter.startSession(agent(), startMs(), sessionId, traceId, 1, this);
    }

    @Override
    public void shapeRun(RunConditions c) {
        if (c.ownSession) {
            c.cascade = true;
        }
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("CascadeFailure");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentErrorRateHigh", "AgentSuccessRateLow");
    }

    @Override
    protected Scope scope() {
        return Scope.TRACE;
    }

    @Override
    protected String sessionId() {
        return sessionId;
    }

    @Override
    protected String traceId() {
        return traceId;
    }

    @Override
    protected String rootCauseAgentId() {
        return agent().agentId();
    }

    @Override
    protected Map<String, String> details() {
        List<AgentProfile> a = agents();
        return Map.of("chain", a.get(0).agentId() + " -> " + a.get(1).agentId() + " -> " + a.get(2).agentId());
    }
}
