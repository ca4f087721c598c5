package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.Ids;
import io.agentwatch.simulator.engine.RunConditions;
import io.agentwatch.simulator.engine.SessionStarter;
import io.agentwatch.simulator.truth.Scope;
import java.util.List;
import java.util.Map;

/**
 * A runaway session: from the start, one session of the agent runs turn after turn with almost no pause, each
 * turn's LLM calls carrying four times the usual tokens (a conversation that drags its whole history along),
 * until the window ends. No single run is far out of line, but the session's lifetime tokens end up many times
 * those of any healthy session (which has one or two turns). Detected by SessionTokenBudgetExceeded.
 */
final class SessionBudget extends Incident {
    static final double TOKEN_FACTOR = 4.0;
    static final int MAX_TURNS = 500;

    private final String sessionId;
    private final String traceId;

    SessionBudget(Setup setup) {
        super(setup);
        this.sessionId = Ids.uuid(rng());
        this.traceId = Ids.traceId(rng());
    }

    /** Only its own session is shaped; the agent's other sessions stay healthy. */
    @Override
    public void shapeRun(RunConditions c) {
        if (c.ownSession) {
            c.tokenFactor = TOKEN_FACTOR;
            c.backToBackTurns = true;
        }
    }

    @Override
    public void start(SessionStarter starter) {
        starter.startSession(agent(), startMs(), sessionId, traceId, MAX_TURNS, this);
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("SessionTokenBudgetExceeded");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentTokenDrift", "AgentDailyBudgetExceeded");
    }

    @Override
    protected Scope scope() {
        return Scope.SESSION;
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
        return Map.of("token_factor", Double.toString(TOKEN_FACTOR));
    }
}
