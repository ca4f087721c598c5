package io.agentwatch.simulator.incident;

import java.util.List;

/**
 * The agent emits nothing at all, heartbeats included, for the whole window (crashed, or its exporter is
 * stuck), then comes back. Detected by AgentSilent.
 */
final class SilentAgent extends Incident {
    SilentAgent(Setup setup) {
        super(setup);
    }

    @Override
    public boolean silences(long timeMs) {
        return isActive(timeMs);
    }

    @Override
    public List<String> expectedAlertnames() {
        return List.of("AgentSilent");
    }
}
