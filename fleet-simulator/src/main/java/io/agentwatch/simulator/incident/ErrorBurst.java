package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * One agent's steps start failing 40% of the time (rate limits, provider errors, tool errors; one retry that
 * fails as often), against a healthy ~0.3%. Detected by AgentErrorRateHigh; the runs that fail with it also
 * lower its success rate, and the failed steps and their retries can shift its p95 latency.
 */
final class ErrorBurst extends Incident {
    static final double ERROR_RATE = 0.40;

    ErrorBurst(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.spaced = false;
        c.stepErrorRate = ERROR_RATE;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentErrorRateHigh");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        // failed steps and their retries also change the mix of step latencies enough to look like a spike, and a
        // failed run reports a lower confidence (0.6 x), so the agent's mean confidence drops with its success rate
        return List.of("AgentSuccessRateLow", "AgentQualityDegradation", "AgentLatencySpike", "AgentConfidenceDrift");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("step_error_rate", Double.toString(ERROR_RATE));
    }
}
