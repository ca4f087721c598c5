package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * Every third run of the agent during the window (the first one included) keeps iterating until it reaches its
 * max_iterations and ends FAILED with error_type max_iterations; healthy runs stop four or more iterations below
 * the limit. Detected by AgentIterationLimitHit; those long runs also raise its latency and lower its success rate and mean confidence.
 */
final class IterationLimit extends Incident {
    static final int EVERY = 3;

    IterationLimit(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.hitIterationLimit = c.shapedBefore % EVERY == 0;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentIterationLimitHit");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        // runs that give up at the limit end FAILED with low confidence, which lowers the agent's mean confidence
        return List.of("AgentLatencySpike", "AgentLatencyP95High", "AgentSuccessRateLow", "AgentConfidenceDrift");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("max_iterations", Integer.toString(agent().maxIterations()));
    }
}
