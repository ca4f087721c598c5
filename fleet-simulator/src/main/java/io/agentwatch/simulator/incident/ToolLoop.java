package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.Ids;
import io.agentwatch.simulator.engine.RunConditions;
import io.agentwatch.simulator.engine.SessionStarter;
import io.agentwatch.simulator.truth.Scope;
import java.util.List;
import java.util.Map;

/**
 * At its start, one session of the agent calls its main tool with the very same arguments (same args hash)
 * {@link #REPEATS} times in a row, each retry_count 0: the agent is stuck, not retrying. Healthy sessions never
 * repeat a call more than twice. Detected by AgentLoopDetected on that session.
 */
final class ToolLoop extends Incident {
    static final int REPEATS = 5;

    private final String sessionId;
    private final String traceId;

    ToolLoop(Setup setup) {
        super(setup);
        this.sessionId = Ids.uuid(rng());
        this.traceId = Ids.traceId(rng());
    }

    @Override
    public void start(SessionStarter starter) {
        starter.startSession(agent(), startMs(), sessionId, traceId, 1, this);
    }

    @Override
    public void shapeRun(RunConditions c) {
        if (c.ownSession) {
            c.loopRepeats = REPEATS;
        }
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentLoopDetected");
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
        return Map.of("tool_name", agent().mainTool().name(), "repeats", Integer.toString(REPEATS));
    }
}
