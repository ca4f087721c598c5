package io.agentwatch.processor.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionCompilerTest {

    /** Fixed bindings for tests: window metrics by (metric, window), baselines and event variables. */
    static final class FixedBindings implements Bindings {
        final Map<String, Double> window = new java.util.HashMap<>();
        final Map<BaselineMetric, Double> baselines = new EnumMap<>(BaselineMetric.class);
        final Map<EventVariable, Double> event = new EnumMap<>(EventVariable.class);

        FixedBindings window(WindowMetric m, int minutes, double v) {
            window.put(m + "/" + minutes, v);
            return this;
        }

        @Override
        public double window(WindowMetric metric, int windowMinutes) {
            return window.getOrDefault(metric + "/" + windowMinutes, Double.NaN);
        }

        @Override
        public double baseline(BaselineMetric metric) {
            return baselines.getOrDefault(metric, Double.NaN);
        }

        @Override
        public double event(EventVariable variable) {
            return event.getOrDefault(variable, Double.NaN);
        }
    }

    private static Condition window(String text, int defaultWindow, Map<String, Double> params) {
        return ConditionCompiler.compile("r1", text, RuleKind.WINDOW, defaultWindow, params);
    }

    @Test
    void shouldEvaluateACompositeConditionWithUnits() {
        Condition c = window("error_rate_5m > 0.15 and latency_p95_5m > 10s", 0, Map.of());
        FixedBindings b = new FixedBindings().window(WindowMetric.ERROR_RATE, 5, 0.2).window(WindowMetric.LATENCY_P95, 5, 12_000);

        assertThat(c.test(b)).isTrue();
        b.window(WindowMetric.LATENCY_P95, 5, 9_999);
        assertThat(c.test(b)).isFalse();
        assertThat(c.windows()).containsExactly(5);
        assertThat(c.value(b)).as("no threshold parameter: the last comparison is reported").isEqualTo(9_999);
        assertThat(c.threshold(b)).isEqualTo(10_000);
    }

    @Test
    void shouldReportTheComparisonThatUsesTheThresholdNotTheGuard() {
        Condition c = window("runs_15m >= min_runs and success_rate_15m < threshold", 0, Map.of("threshold", 0.95, "min_runs", 10.0));
        FixedBindings b = new FixedBindings().window(WindowMetric.RUNS, 15, 20).window(WindowMetric.SUCCESS_RATE, 15, 0.9);

        assertThat(c.test(b)).isTrue();
        assertThat(c.value(b)).isEqualTo(0.9);
        assertThat(c.threshold(b)).isEqualTo(0.95);
    }

    @Test
    void shouldUseTheRulesWindowForUnsuffixedNamesAndReadParameters() {
        Condition c = window("error_rate > threshold", 10, Map.of("threshold", 0.05));
        FixedBindings b = new FixedBindings().window(WindowMetric.ERROR_RATE, 10, 0.06);

        assertThat(c.test(b)).isTrue();
        assertThat(c.threshold(b)).isEqualTo(0.05);
        assertThat(c.windows()).containsExactly(10);
    }

    @Test
    void shouldCompareAgainstABaselineAndNeverFireWhileItIsUnknown() {
        Condition c = window("tokens_per_request_5m > 1.5 * baseline(tokens_per_request)", 0, Map.of());
        FixedBindings b = new FixedBindings().window(WindowMetric.TOKENS_PER_REQUEST, 5, 3000);

        assertThat(c.test(b)).as("baseline still warming up (NaN)").isFalse();
        b.baselines.put(BaselineMetric.TOKENS_PER_REQUEST, 1000.0);
        assertThat(c.test(b)).isTrue();
        assertThat(c.threshold(b)).isEqualTo(1500);
        assertThat(c.baseline(b)).isEqualTo(1000);
    }

    @Test
    void shouldTreatMissingDataAsFalseEvenUnderNot() {
        Condition c = window("not (error_rate_10m > 0.5) and events_10m >= 1", 0, Map.of());

        assertThat(c.test(new FixedBindings())).isFalse();
    }

    @Test
    void shouldSupportArithmeticPrecedenceParenthesesPercentAndFunctions() {
        Condition c = window("(errors_5m + timeouts_5m) / events_5m >= 5% or max(cost_5m, 0) > 2 * 3 - 1", 0, Map.of());
        FixedBindings b = new FixedBindings().window(WindowMetric.ERRORS, 5, 3).window(WindowMetric.TIMEOUTS, 5, 2)
                .window(WindowMetric.EVENTS, 5, 100).window(WindowMetric.COST, 5, 1);

        assertThat(c.test(b)).isTrue();
        b.window(WindowMetric.ERRORS, 5, 2);
        assertThat(c.test(b)).isFalse();
        b.window(WindowMetric.COST, 5, 5.01);
        assertThat(c.test(b)).isTrue();
    }

    @Test
    void shouldReadEventVariablesInEventRules() {
        Condition c = ConditionCompiler.compile("r2", "max_iterations > 0 and iteration >= max_iterations", RuleKind.EVENT, 0, Map.of());
        FixedBindings b = new FixedBindings();
        b.event.put(EventVariable.ITERATION, 10.0);
        b.event.put(EventVariable.MAX_ITERATIONS, 10.0);

        assertThat(c.test(b)).isTrue();
        b.event.put(EventVariable.ITERATION, 9.0);
        assertThat(c.test(b)).isFalse();
    }

    @Test
    void shouldNameTheRuleAndThePositionOfAParseError() {
        assertThatThrownBy(() -> window("error_rate_10m >> 0.05", 0, Map.of()))
                .isInstanceOf(ConditionException.class)
                .hasMessageContaining("rule r1")
                .hasMessageContaining("position 17")
                .satisfies(e -> assertThat(((ConditionException) e).position()).isEqualTo(16));
        assertThatThrownBy(() -> window("eror_rate_10m > 1", 0, Map.of()))
                .hasMessageContaining("unknown name 'eror_rate_10m'")
                .hasMessageContaining("position 1");
        assertThatThrownBy(() -> window("error_rate_10m > 1 and", 0, Map.of()))
                .hasMessageContaining("ends where a value is expected");
        assertThatThrownBy(() -> window("latency_p95_5m > 10secs", 0, Map.of()))
                .hasMessageContaining("unknown unit 'secs'");
        assertThatThrownBy(() -> window("baseline(tokens) > 1", 0, Map.of()))
                .hasMessageContaining("unknown baseline 'tokens'");
        assertThatThrownBy(() -> window("error_rate > 1", 0, Map.of()))
                .hasMessageContaining("has no window");
        assertThatThrownBy(() -> window("(error_rate_5m > 1", 0, Map.of()))
                .hasMessageContaining("')' expected before the end");
        assertThatThrownBy(() -> ConditionCompiler.compile("r3", "iteration > 1", RuleKind.WINDOW, 5, Map.of()))
                .as("event variables are not visible to window rules")
                .hasMessageContaining("unknown name 'iteration'");
    }

    @Test
    void shouldAcceptSymbolicAndOr() {
        Condition c = window("events_1m > 1 && errors_1m > 0 || cost_1m > 100", 0, Map.of());
        FixedBindings b = new FixedBindings().window(WindowMetric.EVENTS, 1, 2).window(WindowMetric.ERRORS, 1, 1);

        assertThat(c.test(b)).isTrue();
    }
}
