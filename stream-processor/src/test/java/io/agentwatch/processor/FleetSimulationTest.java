package io.agentwatch.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.incident.IncidentKind;
import io.agentwatch.simulator.incident.IncidentSpec;
import io.agentwatch.simulator.score.ScoreResult;
import io.agentwatch.simulator.score.Scorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The synthetic fleet through the real topology with the default rules, replayed in real time (the driver's wall
 * clock follows event time, so AgentSilent can see silence): every incident of the detectors beside the rule
 * windows is detected, with its expected scope, and the healthy agents raise no alert.
 */
class FleetSimulationTest {

    @Test
    void shouldDetectEveryDetectorIncidentAndRaiseNoFalseAlarm() {
        List<IncidentSpec> incidents = List.of(
                new IncidentSpec(IncidentKind.TOOL_LOOP, Duration.ofMinutes(6), Duration.ofMinutes(10)),
                new IncidentSpec(IncidentKind.TOOL_TIMEOUTS, Duration.ofMinutes(6), Duration.ofMinutes(10)),
                new IncidentSpec(IncidentKind.SILENT_AGENT, Duration.ofMinutes(8), Duration.ofMinutes(6)),
                new IncidentSpec(IncidentKind.CASCADE, Duration.ofMinutes(7), Duration.ofMinutes(5)),
                new IncidentSpec(IncidentKind.RELEASE_REGRESSION, Duration.ofMinutes(8), Duration.ofMinutes(10)),
                new IncidentSpec(IncidentKind.SESSION_BUDGET, Duration.ofMinutes(6), Duration.ofMinutes(10)),
                new IncidentSpec(IncidentKind.MANUAL_RESCUE, Duration.ofMinutes(6), Duration.ofMinutes(12)),
                new IncidentSpec(IncidentKind.ESCALATION, Duration.ofMinutes(6), Duration.ofMinutes(12)));
        // small, because the test driver is slow with repartition topics (~3k events/s); 20 minutes, 100 events/s
        SimulationConfig config = SimulationConfig.of(7, 30, 100, Duration.ofMinutes(20), Events.T0).withIncidents(incidents);
        FleetSimulator simulator = new FleetSimulator(config);

        List<Alert> alerts = new ArrayList<>();
        try (TopologyFixture fixture = new TopologyFixture()) {
            long wall = Events.T0;
            for (AgentEvent event : simulator) {
                long ts = event.getTimestamp().toEpochMilli();
                if (ts - wall >= 1_000) {
                    // real time: the wall clock keeps up with event time, a second at a time
                    long seconds = (ts - wall) / 1_000;
                    fixture.advanceWallClock(Duration.ofSeconds(seconds));
                    wall += seconds * 1_000;
                    alerts.addAll(fixture.alerts());
                }
                fixture.send(event);
            }
            alerts.addAll(fixture.alerts());
        }

        ScoreResult score = new Scorer().score(simulator.groundTruth(), alerts);
        assertThat(score.allDetected()).as(score.render()).isTrue();
        assertThat(score.falseAlarms()).as(score.render()).isEmpty();
    }
}
