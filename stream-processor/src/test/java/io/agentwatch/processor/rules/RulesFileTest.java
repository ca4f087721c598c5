package io.agentwatch.processor.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.Severity;
import io.agentwatch.schema.SuggestedAction;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesFileTest {

    @Test
    void shouldLoadTheDefaultRulesWithEveryCoreAlertname() {
        RuleSet rules = RulesFile.defaults();

        assertThat(rules.all()).extracting(RuleDefinition::alertname).contains(
                "AgentErrorRateHigh", "AgentLatencyP95High", "AgentQualityDegradation", "AgentLatencySpike",
                "AgentSuccessRateLow", "AgentTokenDrift", "RunTokenOverrun", "AgentIterationLimitHit",
                "SessionTokenBudgetExceeded", "AgentDailyBudgetExceeded", "AgentLoopDetected", "ToolTimeoutChain", "AgentSilent",
                "CascadeFailure", "ReleaseRegression", "AgentConfidenceDrift", "ManualRescueRateHigh", "EscalationRateHigh");
        for (RuleKind kind : RuleKind.values()) {
            assertThat(rules.ofKind(kind)).as("a default rule of kind %s", kind).isNotEmpty();
        }
        RuleDefinition errorRate = rules.byId("agent-error-rate-high").orElseThrow();
        assertThat(errorRate.threshold()).isEqualTo(0.05);
        assertThat(errorRate.minEvents()).isEqualTo(20);
        assertThat(errorRate.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(errorRate.forDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(errorRate.severity()).isEqualTo(Severity.ERROR);
        assertThat(rules.windowMinutes()).contains(5, 10, 15);
    }

    @Test
    void shouldApplyDefaultsAndSegmentation() {
        RuleSet rules = RulesFile.parse("""
                defaults:
                  for: 3m
                  severity: critical
                rules:
                  - id: slow-per-model
                    alertname: AgentLatencyP95High
                    kind: window
                    window: 5m
                    segment_by: [agent, model]
                    condition: latency_p95 > 20s
                """, "test");

        RuleDefinition r = rules.byId("slow-per-model").orElseThrow();
        assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(3));
        assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(r.segmentation().label()).isEqualTo("model");
        assertThat(rules.segmentations()).containsExactly(r.segmentation());
    }

    @Test
    void shouldRefuseATypoedFieldNamingTheRule() {
        assertThatThrownBy(() -> RulesFile.parse("""
                rules:
                  - id: x
                    alertname: X
                    kind: window
                    window: 5m
                    condition: errors > 1
                    treshold: 3
                """, "test"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("rule 'x'")
                .hasMessageContaining("unknown field 'treshold'");
    }

    @Test
    void shouldRefuseABadConditionNamingRuleAndPosition() {
        assertThatThrownBy(() -> RulesFile.parse("""
                rules:
                  - id: bad
                    alertname: Bad
                    kind: window
                    window: 5m
                    condition: error_rate >
                """, "test"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("rule bad")
                .hasMessageContaining("position");
    }

    @Test
    void shouldRefuseDuplicateIdsBadDurationsAndUnknownEnums() {
        String rule = """
                  - id: a
                    alertname: A
                    kind: window
                    window: 5m
                    condition: errors > 1
                """;
        assertThatThrownBy(() -> RulesFile.parse("rules:\n" + rule + rule, "test")).hasMessageContaining("used twice");
        assertThatThrownBy(() -> RulesFile.parse("rules:\n" + rule + "    for: soon\n", "test")).hasMessageContaining("'for'");
        assertThatThrownBy(() -> RulesFile.parse("rules:\n" + rule + "    severity: loud\n", "test")).hasMessageContaining("'severity' must be one of");
        assertThatThrownBy(() -> RulesFile.parse("rules:\n" + rule.replace("5m", "90s"), "test")).hasMessageContaining("whole minutes");
    }

    @Test
    void shouldApplyAnOverrideFieldByFieldAndRefuseAnInvalidOne() {
        RuleDefinition base = RulesFile.defaults().byId("agent-error-rate-high").orElseThrow();
        AlertRule override = AlertRule.newBuilder().setRuleId(base.id()).setAgentId("a1")
                .setThreshold(0.2).setForMs(0L).setSeverity(Severity.CRITICAL)
                .setSuggestedAction(SuggestedAction.DISABLE_AGENT)
                .setParams(Map.of("window", "5m")).build();

        RuleDefinition merged = RuleOverride.apply(base, override);

        assertThat(merged.threshold()).isEqualTo(0.2);
        assertThat(merged.forDuration()).isZero();
        assertThat(merged.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(merged.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(merged.minEvents()).as("untouched field keeps the file's value").isEqualTo(base.minEvents());

        AlertRule broken = AlertRule.newBuilder().setRuleId(base.id()).setCondition("error_rate >").build();
        assertThatThrownBy(() -> RuleOverride.apply(base, broken)).isInstanceOf(ConditionException.class);
    }

    @Test
    void shouldReadDurationsAndPercentagesInParamsAndRefuseParamsADetectorDoesNotKnow() {
        RuleSet rules = RulesFile.parse("""
                rules:
                  - id: budget
                    alertname: SessionTokenBudgetExceeded
                    kind: session_budget
                    params: {max_tokens: 1000, idle_timeout: 90s, max_cost: 1d}
                  - id: drift
                    alertname: Drift
                    kind: window
                    window: 5m
                    condition: error_rate > limit
                    params: {limit: 5%}
                """, "test");

        assertThat(rules.byId("budget").orElseThrow().param("idle_timeout")).isEqualTo(90_000);
        assertThat(rules.byId("budget").orElseThrow().param("max_cost")).as("a day, not the double literal 1d").isEqualTo(86_400_000);
        assertThat(rules.byId("drift").orElseThrow().param("limit")).isEqualTo(0.05);
        assertThatThrownBy(() -> RulesFile.parse("""
                rules:
                  - id: budget
                    alertname: SessionTokenBudgetExceeded
                    kind: session_budget
                    params: {max_token: 1000}
                """, "test"))
                .hasMessageContaining("unknown params.max_token")
                .hasMessageContaining("max_tokens");
        RuleDefinition loop = RulesFile.defaults().byId("agent-loop-detected").orElseThrow();
        assertThat(RuleOverride.apply(loop, AlertRule.newBuilder().setRuleId(loop.id()).setParams(Map.of("idle_timeout", "1h")).build())
                .param("idle_timeout")).isEqualTo(3_600_000);
        assertThatThrownBy(() -> RuleOverride.apply(loop, AlertRule.newBuilder().setRuleId(loop.id()).setParams(Map.of("max_retry", "5")).build()))
                .hasMessageContaining("unknown params.max_retry");
    }
}
