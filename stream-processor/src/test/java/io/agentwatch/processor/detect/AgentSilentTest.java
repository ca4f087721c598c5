package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AgentSilent: wall-clock driven, both clocks must agree, learned gaps, retired agents, resolution. */
class AgentSilentTest {
    private static final String SILENT = "AgentSilent";
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static AgentEvent heartbeat(String agent, long ts) {
        return Events.step(agent, ts, e -> {
            e.setOperation(Operation.HEARTBEAT);
            e.setInputTokens(null);
            e.setOutputTokens(null);
            e.setLatencyMs(null);
        });
    }

    private static Traffic.Factory heartbeats() {
        return (a, t, n) -> heartbeat(a, t);
    }

    @Test
    void shouldFireForSilentAgentsWithNoFurtherInputWhenTheWallClockAdvances() {
        new Traffic().steps("left", 0, 10, 6, heartbeats()).steps("right", 0, 10, 6, heartbeats()).sendTo(fixture);
        fixture.advanceWallClock(Duration.ofSeconds(20));
        assertThat(fixture.alerts()).as("20s of silence is under the 30s minimum").isEmpty();

        fixture.advanceWallClock(Duration.ofSeconds(20));

        List<Alert> firing = of(fixture.alerts(), SILENT, AlertStatus.FIRING);
        assertThat(firing).extracting(a -> a.getScope().getAgentId()).containsExactlyInAnyOrder("left", "right");
        Alert left = firing.stream().filter(a -> a.getScope().getAgentId().equals("left")).findFirst().orElseThrow();
        assertThat(left.getThreshold()).isEqualTo(30_000);
        assertThat(left.getBaseline()).as("learned gap between heartbeats").isEqualTo(10_000, org.assertj.core.data.Offset.offset(1.0));
        assertThat(left.getStartsAt().toEpochMilli()).as("last event + the limit").isBetween(Traffic.minute(10), Traffic.minute(10.5));
    }

    @Test
    void shouldResolveWhenTheAgentSpeaksAgain() {
        new Traffic().steps("napper", 0, 10, 6, heartbeats()).sendTo(fixture);
        fixture.advanceWallClock(Duration.ofMinutes(2));
        Alert fired = of(fixture.alerts(), SILENT, AlertStatus.FIRING).get(0);

        fixture.send(heartbeat("napper", Traffic.minute(12)));

        List<Alert> resolved = of(fixture.alerts(), SILENT, AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getFingerprint()).isEqualTo(fired.getFingerprint());
        assertThat(resolved.get(0).getEndsAt().toEpochMilli()).isEqualTo(Traffic.minute(12));
    }

    @Test
    void shouldNotReportAnAgentRetiredByConfig() {
        fixture.override("agent-silent/retired", AlertRule.newBuilder().setRuleId("agent-silent").setAgentId("retired").setEnabled(false).build());
        new Traffic().steps("retired", 0, 10, 6, heartbeats()).steps("active", 0, 10, 6, heartbeats()).sendTo(fixture);

        fixture.advanceWallClock(Duration.ofMinutes(5));

        assertThat(of(fixture.alerts(), SILENT, AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).containsExactly("active");
    }

    @Test
    void shouldNotCallAnAgentSilentWhileTheProcessorCatchesUpOnABacklog() {
        // a backlog: sparse was heard of until minute 5, busy until minute 15, all processed in no wall-clock time
        new Traffic().steps("sparse", 0, 5, 6, heartbeats()).steps("busy", 0, 15, 60, heartbeats()).sendTo(fixture);
        fixture.advanceWallClock(Duration.ofSeconds(1));
        assertThat(fixture.alerts()).as("event time says sparse is silent, the wall clock does not").isEmpty();

        // caught up, and nothing more arrives: now the wall clock agrees
        fixture.advanceWallClock(Duration.ofSeconds(40));
        assertThat(of(fixture.alerts(), SILENT, AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).contains("sparse");
    }

    @Test
    void shouldNotCallAnAgentSilentWhileTheProcessorFallsBehind() {
        new Traffic().steps("quiet-in-backlog", 0, 5, 6, heartbeats()).sendTo(fixture);
        // the processor is slower than real time: 5 s of wall clock per second of event time
        for (int i = 1; i <= 12; i++) {
            fixture.advanceWallClock(Duration.ofSeconds(5));
            fixture.send(heartbeat("other", Traffic.minute(5) + i * 1_000));
        }

        assertThat(of(fixture.alerts(), SILENT, AlertStatus.FIRING)).as("60 s by the wall clock, 12 s in event time").isEmpty();
    }

    @Test
    void shouldLearnEachAgentsTypicalGap() {
        // one event every 2 minutes for an hour: silent only after 2 x 2 minutes
        Traffic traffic = new Traffic();
        for (int m = 0; m <= 60; m += 2) {
            traffic.add(heartbeat("slow", Traffic.minute(m)));
        }
        traffic.sendTo(fixture);
        fixture.send(heartbeat("clock", Traffic.minute(63)));
        fixture.advanceWallClock(Duration.ofMinutes(3));
        assertThat(of(fixture.alerts(), SILENT, AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).doesNotContain("slow");

        fixture.advanceWallClock(Duration.ofMinutes(2));

        List<Alert> firing = of(fixture.alerts(), SILENT, AlertStatus.FIRING);
        assertThat(firing).extracting(a -> a.getScope().getAgentId()).contains("slow");
        assertThat(firing.stream().filter(a -> a.getScope().getAgentId().equals("slow")).findFirst().orElseThrow().getThreshold())
                .isEqualTo(240_000, org.assertj.core.data.Offset.offset(1_000.0));
    }
}
