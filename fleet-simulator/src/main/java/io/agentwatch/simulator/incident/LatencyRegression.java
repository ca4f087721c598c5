package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * Every step of one agent takes six times as long (a slow provider region, a degraded dependency), so its run
 * latencies go from seconds to tens of seconds. Detected by AgentLatencyP95High (absolute) or AgentLatencySpike
 * (relative to its baseline).
 */
final class LatencyRegression extends Incident {
    static final double FACTOR = 6.0;

    LatencyRegression(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.latencyFactor = FACTOR;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentLatencyP95High", "AgentLatencySpike");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentQualityDegradation");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("latency_factor", Double.toString(FACTOR));
    }
}
