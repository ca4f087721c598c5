package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.RunConditions;
import java.util.List;
import java.util.Map;

/**
 * The agent is upgraded to a new release at the start (agent_version changes, on heartbeats too) and the new
 * release is worse: 10% of its steps fail and they take 2.5 times as long. At the end it is rolled back to the
 * old release. Detected by ReleaseRegression (new version worse than the previous one); the absolute error,
 * latency and success rules may fire on the way.
 */
final class ReleaseRegression extends Incident {
    static final double ERROR_RATE = 0.10;
    static final double LATENCY_FACTOR = 2.5;

    private final String newVersion;

    ReleaseRegression(Setup setup) {
        super(setup);
        this.newVersion = nextMinor(agent().version());
    }

    static String nextMinor(String version) {
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return major + "." + (minor + 1) + ".0";
    }

    @Override
    public String versionAt(long timeMs, String baseVersion) {
        return isActive(timeMs) ? newVersion : baseVersion;
    }

    @Override
    public void shapeRun(RunConditions c) {
        c.spaced = false;
        c.stepErrorRate = ERROR_RATE;
        c.latencyFactor = LATENCY_FACTOR;
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("ReleaseRegression");
    }

    @Override
    public List<String> sideEffectAlertnames() {
        return List.of("AgentErrorRateHigh", "AgentLatencySpike", "AgentLatencyP95High", "AgentSuccessRateLow", "AgentQualityDegradation");
    }

    @Override
    protected Map<String, String> details() {
        return Map.of("from_version", agent().version(), "to_version", newVersion);
    }
}
