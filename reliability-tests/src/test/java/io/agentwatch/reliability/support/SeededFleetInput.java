package io.agentwatch.reliability.support;

import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.IncidentSpec;
import io.agentwatch.simulator.publish.FleetPublisher;
import io.agentwatch.simulator.publish.KafkaEventSink;
import io.agentwatch.simulator.publish.Pacer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeded input of a processor scenario: the fleet simulator with every incident kind, its whole span in the
 * past (so that the processor reads a backlog), published up front as fast as the broker takes it. The same seed
 * and size give the same events, so a faulty run and the fault-free run read identical input.
 */
public final class SeededFleetInput {
    private static final Logger log = LoggerFactory.getLogger(SeededFleetInput.class);
    public static final long SEED = 7;
    private static final int AGENTS = 60;

    private SeededFleetInput() {
    }

    /** The simulation for about {@code events} events: 60 agents, every incident kind, ending an hour ago. */
    public static SimulationConfig config(long events, double eventsPerSecond) {
        Duration span = Duration.ofMillis((long) (events / eventsPerSecond * 1000) + 60_000);
        long start = System.currentTimeMillis() - span.toMillis() - Duration.ofHours(1).toMillis();
        return SimulationConfig.of(SEED, AGENTS, eventsPerSecond, span, start)
                .withIncidents(IncidentSpec.parseList("all"))
                .withMaxEvents(events);
    }

    /** Publishes the whole simulation to the topic and returns how many events the broker acknowledged. */
    public static long publish(String bootstrapServers, String registryUrl, String topic, SimulationConfig config) throws InterruptedException {
        long t0 = System.nanoTime();
        try (KafkaEventSink sink = KafkaEventSink.create(bootstrapServers, registryUrl, topic, Map.of())) {
            FleetPublisher.Result result = new FleetPublisher(sink, Pacer.asFastAsPossible(), Duration.ofSeconds(10),
                    p -> log.info("  {} events sent to {}", p.sent(), topic), System::nanoTime).publish(new FleetSimulator(config).iterator());
            if (result.acknowledged() != result.sent()) {
                throw new IllegalStateException("published " + result.sent() + " events but only " + result.acknowledged() + " were acknowledged");
            }
            log.info("published {} events ({} agents, seed {}, incidents all) to {} in {} ms", result.sent(), config.agents(), config.seed(), topic,
                    (System.nanoTime() - t0) / 1_000_000);
            return result.sent();
        }
    }

    /** The incident kinds, for the figures. */
    public static List<IncidentSpec> incidents(SimulationConfig config) {
        return config.incidents();
    }
}
