package io.agentwatch.simulator.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentSpecTest {

    @Test
    void shouldReadKindsOffsetsAndLengths() {
        List<IncidentSpec> specs = IncidentSpec.parseList("error_burst@30s+2m, tool-loop , cascade@1m");
        assertThat(specs).containsExactly(
                new IncidentSpec(IncidentKind.ERROR_BURST, Duration.ofSeconds(30), Duration.ofMinutes(2)),
                IncidentSpec.of(IncidentKind.TOOL_LOOP),
                new IncidentSpec(IncidentKind.CASCADE, Duration.ofMinutes(1), null));
        assertThat(specs.get(0)).hasToString("error_burst@30s+2m");
    }

    @Test
    void shouldExpandAllAndNone() {
        assertThat(IncidentSpec.parseList("all")).hasSize(IncidentKind.values().length);
        assertThat(IncidentSpec.parseList("ALL")).extracting(IncidentSpec::kind).containsExactly(IncidentKind.values());
        assertThat(IncidentSpec.parseList("none")).isEmpty();
        assertThat(IncidentSpec.parseList("")).isEmpty();
    }

    @Test
    void shouldNameTheUnknownKindAndListTheKnownOnes() {
        assertThatThrownBy(() -> IncidentSpec.parseList("error_burst,meteor_strike"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown incident kind 'meteor_strike'")
                .hasMessageContaining("error_burst, latency_regression");
    }

    @Test
    void shouldNameTheBadTiming() {
        assertThatThrownBy(() -> IncidentSpec.parse("error_burst@soon")).hasMessageContaining("the offset of error_burst");
        assertThatThrownBy(() -> IncidentSpec.parse("error_burst@30s+0s")).hasMessageContaining("length must be positive");
        assertThatThrownBy(() -> IncidentSpec.parseList("error_burst,,cascade")).hasMessageContaining("empty incident");
    }
}
