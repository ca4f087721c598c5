package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * The agent's main tool stops answering: every call to it times out (status TIMEOUT after the tool's timeout),
 * and every run of the agent calls it once. Detected by ToolTimeoutChain (three timeouts of one tool in a row);
 * the agent's error rate and latency suffer with it.
 */
final class ToolTimeouts extends Incident {
    ToolTimeouts(Setup setup) {
        super(setup);
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.timeoutToolSlot = 0;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("ToolTimeoutChain");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentErrorRateHigh", "AgentLatencySpike", "AgentLatencyP95High", "AgentSuccessRateLow", "AgentQualityDegradation");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("tool_name", agent().mainTool().name(), "timeout_ms", Long.toString(agent().mainTool().timeoutMs()));
    }
}
