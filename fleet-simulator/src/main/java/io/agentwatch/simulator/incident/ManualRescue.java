package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/** 30% of the agent's runs end MANUAL_RESCUE (a human had to take over) against 0.2% healthy. Detected by ManualRescueRateHigh. */
final class ManualRescue extends Incident {
    static final double RATE = 0.30;

    ManualRescue(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.spaced = false;
        c.rescueRate = RATE;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("ManualRescueRateHigh");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentSuccessRateLow");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("manual_rescue_rate", Double.toString(RATE));
    }
}
