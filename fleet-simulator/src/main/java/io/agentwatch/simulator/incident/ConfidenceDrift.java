package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/** The agent's run confidence drops by 0.25 on average (a model or retrieval change that hurts answers). Detected by AgentConfidenceDrift. */
final class ConfidenceDrift extends Incident {
    static final double SHIFT = -0.25;

    ConfidenceDrift(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.confidenceShift = SHIFT;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentConfidenceDrift");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("confidence_shift", Double.toString(SHIFT));
    }
}
