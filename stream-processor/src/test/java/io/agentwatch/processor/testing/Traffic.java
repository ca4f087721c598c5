package io.agentwatch.processor.testing;

import io.agentwatch.schema.AgentEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A deterministic schedule of test events for several agents, sent in event-time order. Each {@code steps} call
 * adds {@code perMinute} evenly spaced events per minute over a span of minutes after {@link Events#T0}; the
 * factory decides what the n-th event of that span looks like.
 */
public final class Traffic {
    public interface Factory {
        AgentEvent make(String agentId, long timestamp, int n);
    }

    private final List<AgentEvent> events = new ArrayList<>();

    public Traffic steps(String agentId, double fromMinute, double toMinute, int perMinute, Factory factory) {
        long from = Events.T0 + (long) (fromMinute * 60_000);
        long to = Events.T0 + (long) (toMinute * 60_000);
        long gap = 60_000 / perMinute;
        // agents offset a little so their events interleave rather than collide
        long offset = Math.floorMod(agentId.hashCode(), (int) gap);
        int n = 0;
        for (long t = from + offset; t < to; t += gap) {
            events.add(factory.make(agentId, t, n++));
        }
        return this;
    }

    public Traffic add(AgentEvent event) {
        events.add(event);
        return this;
    }

    public void sendTo(TopologyFixture fixture) {
        events.sort(Comparator.comparing(AgentEvent::getTimestamp));
        events.forEach(fixture::send);
        events.clear();
    }

    public static long minute(double m) {
        return Events.T0 + (long) (m * 60_000);
    }
}
