package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Severity;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentErrorRateHighTest {
    private static final String NAME = "AgentErrorRateHigh";
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldFireOnceWhenTheErrorRateStaysHighAndResolveWhenItClears() {
        // given a healthy agent and one that fails 30% of its steps between minutes 10 and 20
        new Traffic()
                .steps("healthy", 0, 40, 10, (a, t, n) -> Events.step(a, t))
                .steps("flaky", 0, 10, 10, (a, t, n) -> Events.step(a, t))
                .steps("flaky", 10, 20, 10, (a, t, n) -> n % 10 < 3 ? Events.error(a, t) : Events.step(a, t))
                .steps("flaky", 20, 40, 10, (a, t, n) -> Events.step(a, t))
                .sendTo(fixture);

        List<Alert> alerts = fixture.alerts();

        List<Alert> firing = of(alerts, NAME, AlertStatus.FIRING);
        List<Alert> resolved = of(alerts, NAME, AlertStatus.RESOLVED);
        assertThat(firing).hasSize(1);
        assertThat(resolved).hasSize(1);
        Alert fire = firing.get(0);
        assertThat(fire.getScope().getAgentId()).isEqualTo("flaky");
        assertThat(fire.getSeverity()).isEqualTo(Severity.ERROR);
        assertThat(fire.getValue()).isGreaterThan(0.05);
        assertThat(fire.getThreshold()).isEqualTo(0.05);
        assertThat(fire.getEvidenceTraceIds()).isNotEmpty();
        assertThat(fire.getLabels()).containsEntry("agent_id", "flaky").containsEntry("tenant", "acme").containsEntry("alertname", NAME);
        assertThat(fire.getSummary()).contains("flaky");
        // pending from the first evaluation over the threshold: 30% errors lift the 10-minute rate over 5% in about a minute
        assertThat(fire.getStartsAt().toEpochMilli()).isBetween(Traffic.minute(10), Traffic.minute(12));
        assertThat(resolved.get(0).getFingerprint()).isEqualTo(fire.getFingerprint());
        assertThat(resolved.get(0).getEndsAt().toEpochMilli()).isBetween(Traffic.minute(20), Traffic.minute(30));
        assertThat(alerts).allMatch(a -> a.getScope().getAgentId().equals("flaky"));
    }

    @Test
    void shouldStayQuietJustUnderTheThreshold() {
        // 4.5% errors, evenly spread (one step in 22 fails)
        new Traffic().steps("steady", 0, 30, 22, (a, t, n) -> n % 22 == 21 ? Events.error(a, t) : Events.step(a, t)).sendTo(fixture);

        assertThat(of(fixture.alerts(), NAME, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldStayQuietWithTooFewEvents() {
        // every step fails, but only 18 steps per 10 minutes (20 are required)
        new Traffic().steps("rare", 0, 30, 2, (a, t, n) -> n % 10 < 9 ? Events.error(a, t) : Events.step(a, t)).sendTo(fixture);

        assertThat(of(fixture.alerts(), NAME, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldRespectForAndIgnoreABurstShorterThanIt() {
        // 40 errors in 30 seconds push the 10-minute rate to 17%, but the window then holds them for less than 2 minutes
        // only if errors stop counting; here the burst is short and traffic high, so the rate falls under 5% quickly
        new Traffic()
                .steps("bursty", 0, 10, 60, (a, t, n) -> Events.step(a, t))
                .steps("bursty", 10, 10.5, 60, (a, t, n) -> Events.error(a, t))
                .steps("bursty", 10.5, 30, 600, (a, t, n) -> Events.step(a, t))
                .sendTo(fixture);

        assertThat(of(fixture.alerts(), NAME, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldHonourAPerAgentOverrideAndItsRemoval() {
        // given agent "tolerant" allowed 50% errors by an override on agent.rules
        fixture.override("agent-error-rate-high/tolerant", AlertRule.newBuilder()
                .setRuleId("agent-error-rate-high").setAgentId("tolerant").setThreshold(0.5).build());
        new Traffic()
                .steps("tolerant", 0, 15, 10, (a, t, n) -> n % 10 < 3 ? Events.error(a, t) : Events.step(a, t))
                .steps("strict", 0, 15, 10, (a, t, n) -> n % 10 < 3 ? Events.error(a, t) : Events.step(a, t))
                .sendTo(fixture);

        List<Alert> firstPhase = of(fixture.alerts(), NAME, AlertStatus.FIRING);
        assertThat(firstPhase).extracting(a -> a.getScope().getAgentId()).containsExactly("strict");

        // when the override is deleted, the default threshold applies to "tolerant" again
        fixture.removeOverride("agent-error-rate-high/tolerant");
        new Traffic().steps("tolerant", 15, 25, 10, (a, t, n) -> n % 10 < 3 ? Events.error(a, t) : Events.step(a, t)).sendTo(fixture);

        assertThat(of(fixture.alerts(), NAME, AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).containsExactly("tolerant");
    }

    @Test
    void shouldRepeatOnlyAfterTheRepeatInterval() {
        fixture.override("agent-error-rate-high", AlertRule.newBuilder().setRuleId("agent-error-rate-high").setRepeatIntervalMs(600_000L).build());
        new Traffic().steps("broken", 0, 25, 10, (a, t, n) -> n % 2 == 0 ? Events.error(a, t) : Events.step(a, t)).sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), NAME, AlertStatus.FIRING);
        // pending at ~1m, firing at ~3m, repeats at ~13m and ~23m
        assertThat(firing).hasSize(3);
        assertThat(firing).extracting(Alert::getFingerprint).containsOnly(firing.get(0).getFingerprint());
        assertThat(firing).extracting(Alert::getAlertId).doesNotHaveDuplicates();
    }
}
