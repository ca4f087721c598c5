package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.engine.IncidentHooks;
import io.agentwatch.simulator.engine.Rng;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.truth.GroundTruth;
import io.agentwatch.simulator.truth.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An injected, labelled incident: how it changes the simulation (the {@link IncidentHooks} it overrides) and
 * what it writes to the ground truth. Each kind is one small subclass; everything common (id, window, target
 * agents, ids chosen in advance) lives here. Session and trace ids an incident needs are drawn in the constructor
 * from the incident's own random stream, so the ground truth is known before a single event is generated.
 */
public abstract class Incident implements IncidentHooks {
    private final Setup setup;

    /**
     * What the planner decided for an incident.
     *
     * @param kind    its kind
     * @param id      its id, unique in the simulation
     * @param startMs start (epoch ms, simulated)
     * @param endMs   end, exclusive
     * @param agents  the agents it targets: one, or a crew's three (lead, worker, specialist)
     * @param rng     its own random stream, for the ids it chooses in advance
     */
    public record Setup(IncidentKind kind, String id, long startMs, long endMs, List<AgentProfile> agents, Rng rng) {
        public Setup {
            agents = List.copyOf(agents);
        }
    }

    protected Incident(Setup setup) {
        this.setup = setup;
    }

    public final IncidentKind kind() {
        return setup.kind();
    }

    public final String id() {
        return setup.id();
    }

    @Override
    public final long startMs() {
        return setup.startMs();
    }

    @Override
    public final long endMs() {
        return setup.endMs();
    }

    /** The targeted agent (for a crew, its lead). */
    public final AgentProfile agent() {
        return setup.agents().get(0);
    }

    public final List<AgentProfile> agents() {
        return setup.agents();
    }

    protected final Rng rng() {
        return setup.rng();
    }

    @Override
    public int agentIndex() {
        return agent().index();
    }

    /** Alertnames any one of which detects this incident. */
    public abstract List<String> expectedAlertnames();

    /** Alertnames this incident may legitimately also cause on its agents. */
    public List<String> sideEffectAlertnames() {
        return List.of();
    }

    protected Scope scope() {
        return Scope.AGENT;
    }

    protected String sessionId() {
        return null;
    }

    protected String traceId() {
        return null;
    }

    protected String rootCauseAgentId() {
        return null;
    }

    protected Map<String, String> details() {
        return Map.of();
    }

    public final GroundTruth truth() {
        List<String> involved = new ArrayList<>();
        for (AgentProfile a : agents()) {
            involved.add(a.agentId());
        }
        return new GroundTruth(id(), kind().id(), expectedAlertnames(), agent().agentId(), sessionId(), traceId(),
                rootCauseAgentId(), startMs(), endMs(), scope(), involved, sideEffectAlertnames(), details());
    }

    @Override
    public String toString() {
        return id() + "[" + agent().agentId() + ", " + startMs() + ".." + endMs() + "]";
    }
}
