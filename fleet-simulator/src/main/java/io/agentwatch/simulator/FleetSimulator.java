package io.agentwatch.simulator;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.engine.Generation;
import io.agentwatch.simulator.fleet.Fleet;
import io.agentwatch.simulator.incident.Incident;
import io.agentwatch.simulator.incident.IncidentPlanner;
import io.agentwatch.simulator.truth.GroundTruth;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic synthetic fleet of AI agents: from a {@link SimulationConfig} it yields {@link AgentEvent}s in
 * event-time order (sessions of agent runs with PLAN / CHAT / EXECUTE_TOOL / RETRIEVAL steps, multi-agent traces
 * with hand-offs, heartbeats) with the requested incidents injected, and the ground truth of those incidents.
 *
 * <p>Pure: no I/O, no clock, no static mutable state; every random choice comes from streams derived from the
 * seed, so the same config gives byte-identical events on every run. Each {@link #iterator()} is an independent
 * pass from the start. Cheap: memory is proportional to the runs in flight, and the per-event cost is building
 * the event itself.
 */
public final class FleetSimulator implements Iterable<AgentEvent> {
    private final SimulationConfig config;
    private final Fleet fleet;
    private final List<Incident> incidents;

    /** @throws IllegalArgumentException if the incidents do not fit the fleet or the duration */
    public FleetSimulator(SimulationConfig config) {
        this.config = config;
        this.fleet = Fleet.generate(config.seed(), config.agents());
        this.incidents = IncidentPlanner.plan(config.incidents(), fleet, config.seed(), config.startMs(), config.duration());
    }

    public SimulationConfig config() {
        return config;
    }

    public Fleet fleet() {
        return fleet;
    }

    public List<Incident> incidents() {
        return incidents;
    }

    /** One record per injected incident, in the order they were requested. */
    public List<GroundTruth> groundTruth() {
        return incidents.stream().map(Incident::truth).toList();
    }

    /** A fresh pass over the events, from the start. */
    @Override
    public Iterator<AgentEvent> iterator() {
        return generation();
    }

    /** Like {@link #iterator()}, typed so that callers can ask how many events were emitted. */
    public Generation generation() {
        return new Generation(fleet, config.seed(), config.startMs(), config.endMs(), config.eventsPerSecond(),
                config.heartbeatInterval().toMillis(), config.maxEvents(), incidents);
    }

    public Stream<AgentEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
