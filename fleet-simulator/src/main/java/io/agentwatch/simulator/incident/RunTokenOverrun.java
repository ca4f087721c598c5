package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.Ids;
import io.agentwatch.simulator.engine.RunConditions;
import io.agentwatch.simulator.engine.SessionStarter;
import java.util.List;
import java.util.Map;

/**
 * At its start, one run of the agent sends a single enormous prompt ({@link #FACTOR} times the usual input
 * tokens: a whole data dump pasted into the context), so the run's tokens come to well over ten times the
 * agent's usual tokens per run (with 60x, a run whose prompt happened to be short came to only 9x: the factor
 * leaves room for that). Detected by RunTokenOverrun on the agent (the session and trace are recorded for
 * reference).
 */
final class RunTokenOverrun extends Incident {
    static final double FACTOR = 150.0;

    private final String sessionId;
    private final String traceId;

    RunTokenOverrun(Setup setup) {
        super(setup);
        this.sessionId = Ids.uuid(rng());
        this.traceId = Ids.traceId(rng());
    }

    /** Only the run it starts is shaped. */
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
            c.overrunFactor = FACTOR;
        }
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("RunTokenOverrun");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentTokenDrift", "SessionTokenBudgetExceeded", "AgentDailyBudgetExceeded");
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
    protected Map<String, String> details() {
        return Map.of("input_token_factor", Double.toString(FACTOR));
    }
}
