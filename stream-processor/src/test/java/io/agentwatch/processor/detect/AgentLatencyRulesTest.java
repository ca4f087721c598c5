package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AgentLatencyP95High, AgentQualityDegradation and AgentLatencySpike. */
class AgentLatencyRulesTest {
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static Traffic.Factory latency(long ms) {
        return (a, t, n) -> Events.step(a, t, e -> e.setLatencyMs(ms + (n % 7) * 10));
    }

    @Test
    void shouldFireP95HighOnSlowStepsAndResolveWhenTheyAreFastAgain() {
        new Traffic()
                .steps("slow", 0, 5, 10, latency(2_000))
                .steps("slow", 5, 15, 10, latency(40_000))
                .steps("slow", 15, 30, 10, latency(2_000))
                .steps("fine", 0, 30, 10, latency(25_000))
                .sendTo(fixture);

        List<Alert> alerts = fixture.alerts();

        List<Alert> firing = of(alerts, "AgentLatencyP95High", AlertStatus.FIRING);
        assertThat(firing).extracting(a -> a.getScope().getAgentId()).containsExactly("slow");
        assertThat(firing.get(0).getValue()).isBetween(39_000.0, 41_500.0);
        assertThat(firing.get(0).getThreshold()).isEqualTo(30_000);
        assertThat(firing.get(0).getEvidenceTraceIds()).as("slow steps as exemplars").isNotEmpty();
        assertThat(of(alerts, "AgentLatencyP95High", AlertStatus.RESOLVED)).hasSize(1);
    }

    @Test
    void shouldNotJudgeLatencyOnTooFewSteps() {
        new Traffic().steps("quiet", 0, 20, 3, latency(60_000)).sendTo(fixture);

        assertThat(of(fixture.alerts(), "AgentLatencyP95High", AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldFireQualityDegradationOnlyWhenErrorsAndLatencyAreBothHigh() {
        Traffic.Factory errorsOnly = (a, t, n) -> n % 5 == 0 ? Events.error(a, t) : Events.step(a, t);
        Traffic.Factory slowOnly = latency(15_000);
        Traffic.Factory both = (a, t, n) -> Events.step(a, t, e -> {
            e.setLatencyMs(15_000L);
            if (n % 5 == 0) {
                e.setStatus(io.agentwatch.schema.Status.TIMEOUT);
            }
        });
        new Traffic()
                .steps("errors-only", 0, 10, 10, errorsOnly)
                .steps("slow-only", 0, 10, 10, slowOnly)
                .steps("both", 0, 10, 10, both)
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), "AgentQualityDegradation", AlertStatus.FIRING);

        assertThat(firing).extracting(a -> a.getScope().getAgentId()).containsExactly("both");
    }

    @Test
    void shouldFireLatencySpikeAgainstALearnedBaselineOnly() {
        // 15 minutes at ~1s teach the baseline; then p95 triples
        new Traffic()
                .steps("spiky", 0, 15, 12, latency(1_000))
                .steps("spiky", 15, 22, 12, latency(3_000))
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), "AgentLatencySpike", AlertStatus.FIRING);

        assertThat(firing).hasSize(1);
        Alert spike = firing.get(0);
        assertThat(spike.getBaseline()).isBetween(990.0, 1_100.0);
        assertThat(spike.getValue()).isGreaterThan(1.5 * spike.getBaseline());
        assertThat(spike.getThreshold()).isCloseTo(1.5 * spike.getBaseline(), org.assertj.core.data.Offset.offset(1.0));
        assertThat(spike.getSummary()).contains("x its usual");
    }

    @Test
    void shouldNotFireLatencySpikeWhileTheBaselineWarmsUp() {
        // the agent is new: 4 minutes at ~1s, then slow; the baseline needs 10 sealed panes first
        new Traffic()
                .steps("newcomer", 0, 4, 12, latency(1_000))
                .steps("newcomer", 4, 9, 12, latency(5_000))
                .sendTo(fixture);

        assertThat(of(fixture.alerts(), "AgentLatencySpike", AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldNotTeachTheBaselineFromAnIncident() {
        // a long incident (35 minutes at 3x) must not raise the baseline enough to resolve the spike by itself
        new Traffic()
                .steps("drifting", 0, 15, 12, latency(1_000))
                .steps("drifting", 15, 50, 12, latency(3_000))
                .sendTo(fixture);

        List<Alert> alerts = fixture.alerts();
        assertThat(of(alerts, "AgentLatencySpike", AlertStatus.FIRING)).hasSize(1);
        assertThat(of(alerts, "AgentLatencySpike", AlertStatus.RESOLVED)).isEmpty();
    }
}
