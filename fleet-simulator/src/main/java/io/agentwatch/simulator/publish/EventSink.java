package io.agentwatch.simulator.publish;

import io.agentwatch.schema.AgentEvent;

/**
 * Where a {@link FleetPublisher} puts events: a Kafka topic or a file. Failures must surface: either from
 * {@link #send} / {@link #flush} directly, or (for asynchronous sinks) from the next call after they happened.
 */
public interface EventSink extends AutoCloseable {

    /** Hands one event over; may return before it is durable. */
    void send(AgentEvent event);

    /** Blocks until everything sent so far is durable, or throws what went wrong. */
    void flush();

    /** Events confirmed durable so far (for progress lines). */
    long acknowledged();

    /** Where the events go, for messages: "topic agent.events at localhost:9092", "file events.avro". */
    String describe();

    @Override
    void close();
}
