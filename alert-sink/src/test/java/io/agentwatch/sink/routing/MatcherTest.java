package io.agentwatch.sink.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MatcherTest {
    private static final Map<String, String> LABELS = Map.of("severity", "critical", "agent_id", "planner-7", "workflow", "refunds");

    @Test
    void shouldMatchEqualityAndInequality() {
        assertThat(Matcher.parse("severity=\"critical\"").matches(LABELS)).isTrue();
        assertThat(Matcher.parse("severity = critical").matches(LABELS)).isTrue();
        assertThat(Matcher.parse("severity!=\"critical\"").matches(LABELS)).isFalse();
    }

    @Test
    void shouldAnchorRegularExpressionsAsAlertmanagerDoes() {
        assertThat(Matcher.parse("agent_id=~\"planner-.*\"").matches(LABELS)).isTrue();
        assertThat(Matcher.parse("agent_id=~\"planner\"").matches(LABELS)).as("anchored: a prefix is not a match").isFalse();
        assertThat(Matcher.parse("workflow!~\"ref.*|billing\"").matches(LABELS)).isFalse();
    }

    @Test
    void shouldMatchSegmentLabelsWhoseNamesHaveDots() {
        assertThat(Matcher.parse("model.lane=\"cheap\"").matches(Map.of("model.lane", "cheap"))).isTrue();
        assertThat(Matcher.parse("model.lane!=\"cheap\"").matches(Map.of("model.lane", "cheap"))).isFalse();
    }

    @Test
    void shouldTreatAnAbsentLabelAsEmpty() {
        assertThat(Matcher.parse("team=\"\"").matches(LABELS)).isTrue();
        assertThat(Matcher.parse("team!=\"\"").matches(LABELS)).isFalse();
    }

    @Test
    void shouldRefuseTextThatIsNotAMatcher() {
        assertThatThrownBy(() -> Matcher.parse("severity critical")).hasMessageContaining("is not a matcher");
        assertThatThrownBy(() -> Matcher.parse("=\"x\"")).hasMessageContaining("no label name");
        assertThatThrownBy(() -> Matcher.parse("a=\"x")).hasMessageContaining("unterminated");
    }
}
