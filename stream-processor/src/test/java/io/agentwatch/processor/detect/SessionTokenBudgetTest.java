package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.SuggestedAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SessionTokenBudgetExceeded: lifetime tokens and cost per session, fired once, expired when idle. */
class SessionTokenBudgetTest {
    private static final String BUDGET = "SessionTokenBudgetExceeded";
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static AgentEvent call(String agent, String session, double minute, long tokens) {
        return Events.step(agent, Traffic.minute(minute), e -> {
            e.setSessionId(session);
            e.setInputTokens(tokens - tokens / 5);
            e.setOutputTokens(tokens / 5);
            e.setCostUsd(tokens * 1e-6);
        });
    }

    private static String storeKey(String session, String agent) {
        return session + '\u001f' + agent;
    }

    @Test
    void shouldFireOnceWhenASessionCrossesItsLifetimeTokenBudget() {
        for (int i = 0; i < 3; i++) {
            fixture.send(call("chatty", "s-1", 1 + i * 0.1, 30_000));      // 90k: under the 100k budget
        }
        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.FIRING)).isEmpty();

        for (int i = 3; i < 8; i++) {
            fixture.send(call("chatty", "s-1", 1 + i * 0.1, 30_000));      // crosses at 120k, keeps going
        }

        List<Alert> firing = of(fixture.alerts(), BUDGET, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        Alert alert = firing.get(0);
        assertThat(alert.getScope().getSessionId()).isEqualTo("s-1");
        assertThat(alert.getScope().getAgentId()).isEqualTo("chatty");
        assertThat(alert.getValue()).isEqualTo(120_000);
        assertThat(alert.getThreshold()).isEqualTo(100_000);
        assertThat(alert.getStartsAt().toEpochMilli()).isEqualTo(Traffic.minute(1.3));
        assertThat(alert.getSuggestedAction()).isEqualTo(SuggestedAction.TERMINATE_SESSION);
        assertThat(alert.getSummary()).contains("s-1").contains("120,000 tokens");
        assertThat(alert.getEvidenceTraceIds()).hasSize(1);
    }

    @Test
    void shouldCountStepsOnlyAndEachAgentOfASharedSessionApart() {
        // a run event carries the totals of its steps: counting it would count them twice
        fixture.send(Events.step("runner", Traffic.minute(1), e -> {
            e.setSessionId("s-run");
            e.setOperation(Operation.INVOKE_AGENT);
            e.setInputTokens(500_000L);
        }));
        fixture.send(call("runner", "s-run", 1.1, 10_000));
        // one session id, two agents, 60k each: neither crosses 100k
        fixture.send(call("left", "s-shared", 1, 60_000));
        fixture.send(call("right", "s-shared", 1.1, 60_000));

        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.FIRING)).isEmpty();
        assertThat(fixture.store(StoreNames.SESSIONS).get(storeKey("s-shared", "left"))).isNotNull();
        assertThat(fixture.store(StoreNames.SESSIONS).get(storeKey("s-shared", "right"))).isNotNull();
    }

    @Test
    void shouldFireOnCostWhenTokensStayUnderTheirCeiling() {
        fixture.send(Events.step("pricey", Traffic.minute(1), e -> {
            e.setSessionId("s-cost");
            e.setCostUsd(6.0);     // over the 5 USD budget with only 1000 tokens
        }));

        List<Alert> firing = of(fixture.alerts(), BUDGET, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getValue()).isEqualTo(6.0);
        assertThat(firing.get(0).getThreshold()).isEqualTo(5.0);
    }

    @Test
    void shouldExpireAnIdleSessionFreeingItsStateAndResolvingItsAlert() {
        fixture.send(call("chatty", "s-over", 1, 150_000));
        fixture.send(call("chatty", "s-quiet", 1, 1_000));
        assertThat(fixture.store(StoreNames.SESSIONS).get(storeKey("s-quiet", "chatty"))).isNotNull();
        Alert fired = of(fixture.alerts(), BUDGET, AlertStatus.FIRING).get(0);

        // other sessions keep stream time moving; the two above stay idle for more than 15 minutes
        new Traffic().steps("other", 2, 20, 2, (a, t, n) -> Events.step(a, t, e -> e.setSessionId("s-other-" + n))).sendTo(fixture);

        List<Alert> resolved = of(fixture.alerts(), BUDGET, AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getFingerprint()).isEqualTo(fired.getFingerprint());
        assertThat(resolved.get(0).getEndsAt().toEpochMilli()).isBetween(Traffic.minute(16), Traffic.minute(17));
        assertThat(fixture.store(StoreNames.SESSIONS).get(storeKey("s-over", "chatty"))).isNull();
        assertThat(fixture.store(StoreNames.SESSIONS).get(storeKey("s-quiet", "chatty"))).isNull();
        assertThat(fixture.store(StoreNames.SESSIONS).get(storeKey("s-other-35", "other"))).as("a recent session stays").isNotNull();
    }

    @Test
    void shouldStartAFreshCountWhenAnExpiredSessionSpeaksAgain() {
        fixture.send(call("chatty", "s-back", 1, 80_000));
        new Traffic().steps("other", 2, 20, 1, (a, t, n) -> Events.step(a, t)).sendTo(fixture);
        fixture.send(call("chatty", "s-back", 21, 80_000));

        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.FIRING)).as("80k + 80k across an expiry are two lives").isEmpty();
    }

    @Test
    void shouldHonourAPerAgentOverrideOfTheBudget() {
        fixture.override("session-token-budget/frugal", AlertRule.newBuilder().setRuleId("session-token-budget").setAgentId("frugal")
                .setParams(Map.of("max_tokens", "50000")).build());
        fixture.send(call("frugal", "s-f", 1, 60_000));
        fixture.send(call("normal", "s-n", 1, 60_000));

        assertThat(of(fixture.alerts(), BUDGET, AlertStatus.FIRING)).extracting(a -> a.getScope().getAgentId()).containsExactly("frugal");
    }
}
