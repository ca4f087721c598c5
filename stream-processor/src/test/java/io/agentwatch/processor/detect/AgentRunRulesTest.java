package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Outcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules over finished runs: AgentSuccessRateLow, ManualRescueRateHigh, EscalationRateHigh, RunTokenOverrun. */
class AgentRunRulesTest {
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static Traffic.Factory runs(int everyNth, Outcome odd) {
        return (a, t, n) -> Events.run(a, t, n % everyNth == everyNth - 1 ? odd : Outcome.SUCCEEDED, 5_000);
    }

    @Test
    void shouldFireSuccessRateLowUnderNinetyFivePercentAndStayQuietAbove() {
        new Traffic()
                .steps("failing", 0, 20, 4, runs(10, Outcome.FAILED))   // 90% success
                .steps("fine", 0, 20, 4, runs(30, Outcome.FAILED))      // 96.7% success
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), "AgentSuccessRateLow", AlertStatus.FIRING);

        assertThat(firing).extracting(a -> a.getScope().getAgentId()).containsExactly("failing");
        assertThat(firing.get(0).getValue()).as("the success rate, not the run-count guard").isBetween(0.85, 0.95);
    }

    @Test
    void shouldNotJudgeSuccessOnFewerThanTenRuns() {
        new Traffic().steps("rare", 0, 30, 1, (a, t, n) -> n % 2 == 0 ? Events.step(a, t)
                : Events.run(a, t, Outcome.FAILED, 5_000)).sendTo(fixture);

        // 15 minutes hold ~7 runs, all failed: too few to judge
        assertThat(of(fixture.alerts(), "AgentSuccessRateLow", AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldFireManualRescueAndEscalationRates() {
        new Traffic()
                .steps("rescued", 0, 20, 4, runs(5, Outcome.MANUAL_RESCUE))
                .steps("escalating", 0, 20, 4, runs(3, Outcome.ESCALATED))
                .sendTo(fixture);

        List<Alert> alerts = fixture.alerts();

        assertThat(of(alerts, "ManualRescueRateHigh", AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).containsExactly("rescued");
        assertThat(of(alerts, "EscalationRateHigh", AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).containsExactly("escalating");
    }

    @Test
    void shouldFireRunTokenOverrunAtOnceAgainstAWarmBaselineAndResolveLater() {
        new Traffic()
                .steps("burner", 0, 15, 4, (a, t, n) -> Events.run(a, t, Outcome.SUCCEEDED, 5_000 + n % 5 * 100))
                .add(Events.run("burner", Traffic.minute(15.5), Outcome.SUCCEEDED, 80_000))
                .steps("burner", 16, 30, 4, (a, t, n) -> Events.run(a, t, Outcome.SUCCEEDED, 5_000))
                .sendTo(fixture);

        List<Alert> alerts = fixture.alerts();

        List<Alert> firing = of(alerts, "RunTokenOverrun", AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getStartsAt().toEpochMilli()).isEqualTo(Traffic.minute(15.5));
        assertThat(firing.get(0).getValue()).isEqualTo(80_000);
        assertThat(firing.get(0).getBaseline()).isBetween(5_000.0, 5_500.0);
        assertThat(firing.get(0).getEvidenceTraceIds()).hasSize(1);
        List<Alert> resolved = of(alerts, "RunTokenOverrun", AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getEndsAt().toEpochMilli()).isBetween(Traffic.minute(25.5), Traffic.minute(26));
    }

    @Test
    void shouldNotFireRunTokenOverrunWhileTheBaselineWarmsUp() {
        new Traffic()
                .steps("young", 0, 3, 4, (a, t, n) -> Events.run(a, t, Outcome.SUCCEEDED, 5_000))
                .add(Events.run("young", Traffic.minute(3.5), Outcome.SUCCEEDED, 80_000))
                .sendTo(fixture);

        assertThat(of(fixture.alerts(), "RunTokenOverrun", AlertStatus.FIRING)).isEmpty();
    }
}
