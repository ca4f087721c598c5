package io.agentwatch.simulator.engine;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.fleet.AgentProfile;

/**
 * The stream of new sessions: a Poisson process over the whole fleet whose rate is set so that the fleet emits
 * the configured events per second, each session going to an agent drawn by its weight. One source for all
 * agents keeps the queue small however large the fleet.
 */
final class SessionArrivals extends Source {
    /** Share of sessions that have a second turn. */
    static final double SECOND_TURN = 0.18;

    private final Rng rng;
    private final AliasTable agents;
    private final double meanGapMs;
    private double nextArrival;

    SessionArrivals(Rng rng, AliasTable agents, double sessionsPerSecond, long startMs) {
        this.rng = rng;
        this.agents = agents;
        this.meanGapMs = 1000.0 / sessionsPerSecond;
        this.nextArrival = startMs + rng.exponential(meanGapMs);
        this.time = (long) nextArrival;
    }

    @Override
    AgentEvent fire(Generation g) {
        AgentProfile agent = g.agent(agents.sample(rng));
        if (!g.silenced(agent.index(), time)) {
            Rng sub = rng.split();
            RunCursor session = new RunCursor(agent, Ids.uuid(sub), sub, null, 0, sub.chance(SECOND_TURN) ? 1 : 0);
            g.planner().planTurn(session, time, null);
            g.schedule(session);
        }
        nextArrival += rng.exponential(meanGapMs);
        time = (long) nextArrival;
        return null;
    }
}
