package io.agentwatch.simulator.engine;

import io.agentwatch.schema.AgentEvent;

/** Fires once at an incident's start so that it can start the sessions it owns (a loop, a cascade, ...). */
final class IncidentStart extends Source {
    private final IncidentHooks incident;

    IncidentStart(IncidentHooks incident) {
        this.incident = incident;
        this.time = incident.startMs();
    }

    @Override
    AgentEvent fire(Generation g) {
        incident.start(g);
        done = true;
        return null;
    }
}
