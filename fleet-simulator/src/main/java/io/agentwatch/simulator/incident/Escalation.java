package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/** 30% of the agent's runs end ESCALATED (handed to a human queue) against 0.4% healthy. Detected by EscalationRateHigh. */
final class Escalation extends Incident {
    static final double RATE = 0.30;

    Escalation(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.spaced = false;
        c.escalateRate = RATE;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("EscalationRateHigh");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentSuccessRateLow");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("escalation_rate", Double.toString(RATE));
    }
}
