package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * One agent's LLM calls use 2.5 times their usual tokens (a prompt change that inlines a long document, say)
 * for the whole window. Detected by AgentTokenDrift; its daily spend rises with it.
 */
final class TokenDrift extends Incident {
    static final double FACTOR = 2.5;

    TokenDrift(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.tokenFactor = FACTOR;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentTokenDrift");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentDailyBudgetExceeded");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("token_factor", Double.toString(FACTOR));
    }
}
