package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AgentDailyBudgetExceeded: tokens or cost per agent per UTC day, a warning and a critical level, once a day each. */
class AgentDailyBudgetTest {
    private static final String BUDGET = "AgentDailyBudgetExceeded";
    private static final long DAY_2 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private final TopologyFixture fixture = new TopologyFixture();

    @BeforeEach
    void smallCaps() {
        // the validator refuses events more than a day ahead of the wall clock: let the clock reach day 2
        fixture.advanceWallClock(java.time.Duration.ofHours(24));
        for (String rule : List.of("agent-daily-budget-warning", "agent-daily-budget-exceeded")) {
            fixture.override(rule, AlertRule.newBuilder().setRuleId(rule).setParams(Map.of("max_tokens", "100000", "max_cost", "1000")).build());
        }
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private static AgentEvent spend(String agent, long ts, long tokens) {
        return Events.step(agent, ts, e -> {
            e.setInputTokens(tokens);
            e.setOutputTokens(0L);
        });
    }

    @Test
    void shouldWarnAtEightyPercentAndFireAtTheCapEachOncePerDay() {
        long t = Events.T0 + 3_600_000;
        for (int i = 0; i < 7; i++) {
            fixture.send(spend("spender", t + i * 60_000, 10_000));
        }
        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.FIRING)).isEmpty();

        for (int i = 7; i < 14; i++) {
            fixture.send(spend("spender", t + i * 60_000, 10_000));
        }

        List<Alert> firing = of(fixture.alerts(), BUDGET, AlertStatus.FIRING);
        assertThat(firing).extracting(Alert::getSeverity).containsExactly(Severity.WARNING, Severity.CRITICAL);
        assertThat(firing.get(0).getValue()).isEqualTo(80_000);
        assertThat(firing.get(0).getThreshold()).isEqualTo(80_000);
        assertThat(firing.get(1).getValue()).isEqualTo(100_000);
        assertThat(firing).allSatisfy(a -> assertThat(a.getLabels()).containsEntry("day", "2026-11-01"));
        assertThat(firing.get(0).getFingerprint()).isNotEqualTo(firing.get(1).getFingerprint());
    }

    @Test
    void shouldResolveWhenTheDayEndsAndFireAgainTheNextDay() {
        fixture.send(spend("spender", DAY_2 - 600_000, 120_000));
        List<Alert> day1 = of(fixture.alerts(), BUDGET, AlertStatus.FIRING);
        assertThat(day1).hasSize(2);

        fixture.send(spend("spender", DAY_2 + 60_000, 1_000));
        List<Alert> resolved = of(fixture.alerts(), BUDGET, AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(2);
        assertThat(resolved).allSatisfy(a -> assertThat(a.getEndsAt().toEpochMilli()).isEqualTo(DAY_2));

        fixture.send(spend("spender", DAY_2 + 120_000, 120_000));
        List<Alert> day2 = of(fixture.alerts(), BUDGET, AlertStatus.FIRING);
        assertThat(day2).hasSize(2);
        assertThat(day2).allSatisfy(a -> assertThat(a.getLabels()).containsEntry("day", "2026-11-02"));
        assertThat(day2.get(1).getValue()).as("the new day counts from zero").isEqualTo(121_000);
    }

    @Test
    void shouldResolveAtMidnightWhenStreamTimePassesItWithoutTheAgent() {
        fixture.send(spend("spender", DAY_2 - 600_000, 120_000));
        fixture.alerts();

        fixture.send(spend("someone-else", DAY_2 + 10_000, 10));

        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.RESOLVED)).hasSize(2)
                .allSatisfy(a -> assertThat(a.getScope().getAgentId()).isEqualTo("spender"));
    }

    @Test
    void shouldFireOnCostAndNotCountEventsOfADayThatHasEnded() {
        fixture.override("agent-daily-budget-exceeded/pricey", AlertRule.newBuilder().setRuleId("agent-daily-budget-exceeded")
                .setAgentId("pricey").setParams(Map.of("max_cost", "2")).build());
        fixture.send(Events.step("pricey", DAY_2 + 60_000, e -> e.setCostUsd(1.5)));
        fixture.send(Events.step("pricey", DAY_2 - 60_000, e -> e.setCostUsd(1.5)));   // late, from the day before
        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.FIRING)).isEmpty();

        fixture.send(Events.step("pricey", DAY_2 + 120_000, e -> e.setCostUsd(0.6)));

        List<Alert> firing = of(fixture.alerts(), BUDGET, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getValue()).isEqualTo(2.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(firing.get(0).getThreshold()).isEqualTo(2.0);
    }
}
