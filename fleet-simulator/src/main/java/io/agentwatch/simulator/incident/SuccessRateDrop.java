package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * 30% of the agent's runs end FAILED although their steps went through (wrong answers, not crashes): only the
 * run events carry the error. Detected by AgentSuccessRateLow.
 */
final class SuccessRateDrop extends Incident {
    static final double FAIL_RATE = 0.30;

    SuccessRateDrop(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.spaced = false;
        c.failRate = FAIL_RATE;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentSuccessRateLow");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentErrorRateHigh", "AgentQualityDegradation");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("run_fail_rate", Double.toString(FAIL_RATE));
    }
}
