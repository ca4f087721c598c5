package io.agentwatch.simulator.engine;

import io.agentwatch.schema.AgentEvent;

/**
 * Something in the simulation that has work to do at a point of simulated time: a run with steps left to emit,
 * the stream of new sessions, the heartbeat ticker, an incident about to start. The {@link Generation} keeps them
 * in a {@link SourceQueue} ordered by time and always fires the earliest, which is what puts the events in event-time
 * order without materialising more than one pending step per run.
 */
abstract class Source {
    /** Simulated time (epoch ms) of the next thing this source does. */
    long time;
    /** Queue order among far-future sources due at the same time (see {@link SourceQueue}). */
    long seq;
    /** Next source in the same millisecond bucket of the {@link SourceQueue}. */
    Source nextInBucket;
    /** Set when the source has nothing more to do; the queue then drops it. */
    boolean done;

    /**
     * Does what is due at {@link #time}: returns the event to emit (or null if the step emits none), then either
     * moves {@link #time} forward or sets {@link #done}.
     */
    abstract AgentEvent fire(Generation generation);
}
