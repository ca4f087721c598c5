package io.agentwatch.processor.ingest;

import io.agentwatch.schema.AgentEvent;

/**
 * What the decode step makes of one input record: a valid event (already on its agent's partition, or not), or
 * a poison pill with the original bytes for the dead-letter topic.
 */
public final class Ingested {
    public enum Route { KEYED, REKEY, DEAD_LETTER }

    private final Route route;
    private final AgentEvent event;
    private final byte[] rawKey;
    private final byte[] rawValue;

    private Ingested(Route route, AgentEvent event, byte[] rawKey, byte[] rawValue) {
        this.route = route;
        this.event = event;
        this.rawKey = rawKey;
        this.rawValue = rawValue;
    }

    public static Ingested keyed(AgentEvent event) {
        return new Ingested(Route.KEYED, event, null, null);
    }

    public static Ingested rekey(AgentEvent event) {
        return new Ingested(Route.REKEY, event, null, null);
    }

    public static Ingested deadLetter(byte[] rawKey, byte[] rawValue) {
        return new Ingested(Route.DEAD_LETTER, null, rawKey, rawValue);
    }

    public Route route() {
        return route;
    }

    public AgentEvent event() {
        return event;
    }

    public byte[] rawKey() {
        return rawKey;
    }

    public byte[] rawValue() {
        return rawValue;
    }
}
