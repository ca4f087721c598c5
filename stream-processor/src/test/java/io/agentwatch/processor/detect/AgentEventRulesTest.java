package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AgentIterationLimitHit and the token and confidence rules. */
class AgentEventRulesTest {
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldFireIterationLimitOnTheStepThatReachesItOnce() {
        fixture.send(Events.step("looper", Traffic.minute(1), e -> { e.setIteration(9); e.setMaxIterations(10); }));
        assertThat(fixture.alerts()).isEmpty();

        fixture.send(Events.step("looper", Traffic.minute(2), e -> { e.setIteration(10); e.setMaxIterations(10); }));
        fixture.send(Events.step("looper", Traffic.minute(3), e -> { e.setIteration(10); e.setMaxIterations(10); }));
        new Traffic().steps("looper", 4, 20, 2, (a, t, n) -> Events.step(a, t)).sendTo(fixture);

        List<Alert> alerts = fixture.alerts();
        assertThat(of(alerts, "AgentIterationLimitHit", AlertStatus.FIRING)).hasSize(1)
                .first().satisfies(a -> assertThat(a.getStartsAt().toEpochMilli()).isEqualTo(Traffic.minute(2)));
        assertThat(of(alerts, "AgentIterationLimitHit", AlertStatus.RESOLVED)).hasSize(1);
    }

    @Test
    void shouldNotFireIterationLimitWithoutALimit() {
        fixture.send(Events.step("unbounded", Traffic.minute(1), e -> { e.setIteration(50); e.setMaxIterations(0); }));
        fixture.send(Events.step("unbounded", Traffic.minute(2), e -> e.setIteration(50)));

        assertThat(fixture.alerts()).isEmpty();
    }

    @Test
    void shouldFireTokenDriftWhenTokensPerRequestStayAboveTheBaselineForFiveMinutes() {
        new Traffic()
                .steps("verbose", 0, 15, 10, (a, t, n) -> Events.step(a, t))                                     // 1000 tokens
                .steps("verbose", 15, 25, 10, (a, t, n) -> Events.step(a, t, e -> e.setInputTokens(2_600L)))     // 2800 tokens
                .steps("briefly", 0, 15, 10, (a, t, n) -> Events.step(a, t))
                .steps("briefly", 15, 18, 10, (a, t, n) -> Events.step(a, t, e -> e.setInputTokens(2_600L)))    // 3 minutes only
                .steps("briefly", 18, 25, 10, (a, t, n) -> Events.step(a, t))
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), "AgentTokenDrift", AlertStatus.FIRING);

        assertThat(firing).extracting(a -> a.getScope().getAgentId()).containsExactly("verbose");
        assertThat(firing.get(0).getBaseline()).isCloseTo(1_000, org.assertj.core.data.Offset.offset(5.0));
        assertThat(firing.get(0).getSuggestedAction()).isEqualTo(io.agentwatch.schema.SuggestedAction.ROUTE_TO_CHEAPER_MODEL);
    }

    @Test
    void shouldFireConfidenceDriftAndHonourAnOverrideThatDisablesIt() {
        fixture.override("agent-confidence-drift/muted", AlertRule.newBuilder().setRuleId("agent-confidence-drift").setAgentId("muted").setEnabled(false).build());
        Traffic.Factory sure = (a, t, n) -> Events.step(a, t, e -> e.setConfidence(0.9));
        Traffic.Factory unsure = (a, t, n) -> Events.step(a, t, e -> e.setConfidence(0.6));
        new Traffic()
                .steps("doubting", 0, 15, 10, sure).steps("doubting", 15, 35, 10, unsure)
                .steps("muted", 0, 15, 10, sure).steps("muted", 15, 35, 10, unsure)
                .sendTo(fixture);

        assertThat(of(fixture.alerts(), "AgentConfidenceDrift", AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).containsExactly("doubting");
    }
}
