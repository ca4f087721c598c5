package io.agentwatch.simulator.engine;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.simulator.fleet.AgentProfile;
import java.time.Instant;

/**
 * Emits one HEARTBEAT per agent per interval, the agents' phases spread evenly over the interval, so that a
 * healthy agent is never silent for longer than the interval whatever its traffic. One source for the whole
 * fleet, walking the agents in index order.
 */
final class HeartbeatTicker extends Source {
    private final Rng rng;
    private final long startMs;
    private final long intervalMs;
    private final int agents;
    private long cycle;
    private int next;

    HeartbeatTicker(Rng rng, long startMs, long intervalMs, int agents) {
        this.rng = rng;
        this.startMs = startMs;
        this.intervalMs = intervalMs;
        this.agents = agents;
        this.time = startMs;
    }

    @Override
    AgentEvent fire(Generation g) {
        int i = next;
        long at = time;
        if (++next == agents) {
            next = 0;
            cycle++;
        }
        time = startMs + cycle * intervalMs + next * intervalMs / agents;
        if (g.silenced(i, at)) {
            return null;
        }
        AgentProfile a = g.agent(i);
        AgentEvent e = new AgentEvent();
        e.setEventId(Ids.uuid(rng));
        e.setTimestamp(Instant.ofEpochMilli(at));
        e.setAgentId(a.agentId());
        e.setAgentName(a.agentName());
        e.setAgentVersion(g.versionAt(i, at));
        e.setTenant(a.tenant());
        e.setWorkflow(a.workflow());
        e.setOperation(Operation.HEARTBEAT);
        e.setStatus(Status.OK);
        e.setAttributes(a.attributes());
        return e;
    }
}
