package io.agentwatch.reliability.io;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.IncidentSpec;
import io.agentwatch.testsupport.KafkaStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * Seeded fleet traffic from the fleet simulator, as the wire-format records a producer keyed by agent_id would
 * write: the same seed gives the same records in the same partitions and order, so a faulty run and a fault-free
 * run see the same valid input. Event times lie in the recent past (the processor refuses events too far ahead).
 * Ends with one heartbeat per partition a few minutes of event time after the rest, so that every partition's
 * stream time passes the last evaluation point of the real traffic and the processor publishes its counters.
 */
final class SeededFleet {
    private SeededFleet() {
    }

    /** The seeded simulation: every incident kind, heartbeats on, {@code events} events over {@code span} of event time. */
    static SimulationConfig config(long seed, int agents, long events, Duration span, Instant now) {
        return config(seed, agents, events, span, now, "all");
    }

    /** The same with the incident kinds named (a comma list, as the simulator's --incidents takes). */
    static SimulationConfig config(long seed, int agents, long events, Duration span, Instant now, String incidents) {
        long start = now.minus(span).minus(Duration.ofMinutes(10)).toEpochMilli();
        return new SimulationConfig(seed, agents, events / (double) span.toSeconds(), span, start, IncidentSpec.parseList(incidents),
                SimulationConfig.DEFAULT_HEARTBEAT, events);
    }

    /** The simulation's events as records, plus the tail heartbeats; {@code serializer} writes the wire format. */
    static List<RawRecord> records(SimulationConfig config, AvroWireSerializer<AgentEvent> serializer, String topic, int partitions) {
        List<RawRecord> out = new ArrayList<>();
        long last = 0;
        for (AgentEvent e : new FleetSimulator(config)) {
            out.add(record(e, serializer, topic, partitions));
            last = Math.max(last, e.getTimestamp().toEpochMilli());
        }
        boolean[] covered = new boolean[partitions];
        int covering = 0;
        for (int i = 0; covering < partitions; i++) {
            String agent = "tail-heartbeat-" + i;
            int p = partition(agent, partitions);
            if (!covered[p]) {
                covered[p] = true;
                covering++;
                AgentEvent tail = AgentEvent.newBuilder().setEventId("tail-" + i).setTimestamp(Instant.ofEpochMilli(last + 180_000))
                        .setAgentId(agent).setOperation(Operation.HEARTBEAT).build();
                out.add(record(tail, serializer, topic, partitions));
            }
        }
        return out;
    }

    static RawRecord record(AgentEvent e, AvroWireSerializer<AgentEvent> serializer, String topic, int partitions) {
        byte[] key = e.getAgentId().getBytes(StandardCharsets.UTF_8);
        return new RawRecord(partition(e.getAgentId(), partitions), key, serializer.serialize(topic, e), null, null);
    }

    /** Kafka's default partitioner for a non-null key. */
    static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static AvroWireSerializer<AgentEvent> serializer(KafkaStack stack) {
        return new AvroWireSerializer<>(stack.registryClient(), false, true);
    }
}
