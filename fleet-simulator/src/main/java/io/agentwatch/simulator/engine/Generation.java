package io.agentwatch.simulator.engine;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.fleet.Fleet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One pass of a simulation: an iterator of {@link AgentEvent}s in event-time order (ties in a fixed order), built
 * lazily from a {@link SourceQueue} of {@link Source}s: the earliest source fires, emits at most one event, and
 * goes back into the queue at its next time. All randomness comes from streams derived from the seed, all
 * collections are lists or arrays, and nothing reads a clock, so the same inputs give the same events.
 *
 * <p>Memory stays proportional to the runs in flight (one small cursor each), not to the events generated.
 */
public final class Generation implements Iterator<AgentEvent>, SessionStarter {
    private final Fleet fleet;
    private final AgentState[] states;
    private final long endMs;
    private final long maxEvents;
    private final SourceQueue queue;
    private final RunPlanner planner;
    private final Rng rng;
    private long emitted;
    private AgentEvent next;
    private boolean finished;

    /**
     * @param eventsPerSecond     target events per simulated second over the whole fleet, heartbeats included
     * @param heartbeatIntervalMs interval of each agent's heartbeat; 0 for none
     * @param maxEvents           stop after this many events; 0 for no limit
     * @param incidents           the injected incidents, at most one per agent
     */
    public Generation(Fleet fleet, long seed, long startMs, long endMs, double eventsPerSecond, long heartbeatIntervalMs,
                      long maxEvents, List<? extends IncidentHooks> incidents) {
        this.fleet = fleet;
        this.endMs = endMs;
        this.maxEvents = maxEvents <= 0 ? Long.MAX_VALUE : maxEvents;
        this.rng = new Rng(Rng.mix(seed, 0x7_4aff1cL));
        this.queue = new SourceQueue(startMs);
        this.states = new AgentState[fleet.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new AgentState();
        }
        this.planner = new RunPlanner(this);
        for (IncidentHooks incident : incidents) {
            int agent = incident.agentIndex();
            if (agent >= 0) {
                if (states[agent].incident != null) {
                    throw new IllegalArgumentException("two incidents target agent " + fleet.agent(agent).agentId());
                }
                states[agent].incident = incident;
            }
            schedule(new IncidentStart(incident));
        }
        double heartbeatsPerSecond = heartbeatIntervalMs > 0 ? fleet.size() * 1000.0 / heartbeatIntervalMs : 0;
        if (heartbeatIntervalMs > 0) {
            schedule(new HeartbeatTicker(rng.split(), startMs, heartbeatIntervalMs, fleet.size()));
        }
        double sessionsPerSecond = Math.max(1e-6, eventsPerSecond - heartbeatsPerSecond) / expectedEventsPerSession(fleet);
        double[] weights = new double[fleet.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = fleet.agent(i).weight();
        }
        schedule(new SessionArrivals(rng.split(), new AliasTable(weights), sessionsPerSecond, startMs));
    }

    /**
     * The mean number of events one new session produces, sub-agent runs included, from the shapes the
     * {@link RunPlanner} draws: a run event, a PLAN 70% of the time (top level only), 1-3 iterations (mean 1.8;
     * exactly one when the run hands off) of a CHAT plus an action 85% of the time, a final CHAT; hand-offs add the
     * delegate's run; 18% of sessions have a second turn.
     */
    static double expectedEventsPerSession(Fleet fleet) {
        double total = 0;
        double weights = 0;
        for (AgentProfile a : fleet.agents()) {
            total += a.weight() * expectedEventsPerRun(fleet, a, 0);
            weights += a.weight();
        }
        return (1 + SessionArrivals.SECOND_TURN) * total / weights;
    }

    private static double expectedEventsPerRun(Fleet fleet, AgentProfile a, int depth) {
        double plan = depth == 0 ? 0.7 : 0;
        double iteration = 1 + 0.85;
        double own = 1 + plan + 1.8 * iteration + 1;
        if (a.delegate() < 0) {
            return own;
        }
        double delegating = 1 + plan + iteration + 1 + expectedEventsPerRun(fleet, fleet.agent(a.delegate()), depth + 1);
        return (1 - a.handoffProbability()) * own + a.handoffProbability() * delegating;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = advance();
            finished = next == null;
        }
        return next != null;
    }

    @Override
    public AgentEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        AgentEvent e = next;
        next = null;
        return e;
    }

    /** Events emitted so far. */
    public long emitted() {
        return emitted;
    }

    private AgentEvent advance() {
        while (emitted < maxEvents) {
            Source s = queue.poll();
            if (s == null || s.time >= endMs) {
                return null;
            }
            AgentEvent e = s.fire(this);
            if (!s.done) {
                queue.add(s);
            }
            if (e != null) {
                emitted++;
                return e;
            }
        }
        return null;
    }

    /** Queues a source (a new run, a sub-agent's run, ...). */
    void schedule(Source s) {
        queue.add(s);
    }

    @Override
    public void startSession(AgentProfile agent, long startMs, String sessionId, String firstTraceId, int turns, IncidentHooks owner) {
        Rng sub = new Rng(Rng.mix(sessionId.hashCode(), startMs));
        RunCursor session = new RunCursor(agent, sessionId, sub, owner, 0, Math.max(0, turns - 1));
        planner.planTurn(session, startMs, firstTraceId);
        schedule(session);
    }

    RunPlanner planner() {
        return planner;
    }

    AgentState state(int agentIndex) {
        return states[agentIndex];
    }

    AgentProfile agent(int index) {
        return fleet.agent(index);
    }

    boolean silenced(int agentIndex, long timeMs) {
        IncidentHooks incident = states[agentIndex].incident;
        return incident != null && incident.silences(timeMs);
    }

    String versionAt(int agentIndex, long timeMs) {
        AgentProfile a = fleet.agent(agentIndex);
        IncidentHooks incident = states[agentIndex].incident;
        return incident == null ? a.version() : incident.versionAt(timeMs, a.version());
    }
}
