package io.agentwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shouldReadUnitsAndCombinations() {
        assertThat(Durations.parse("90s", "x")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("10m", "x")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h", "x")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("250ms", "x")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("1h30m", "x")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d", "x")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse(" PT10M ", "x")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldRefuseABareNumberAndNameTheValueInTheMessage() {
        assertThatThrownBy(() -> Durations.parse("90", "--duration"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--duration:")
                .hasMessageContaining("no unit");
    }

    @Test
    void shouldRefuseGarbage() {
        assertThatThrownBy(() -> Durations.parse("ten minutes", "--duration")).hasMessageStartingWith("--duration: cannot read 'ten minutes'");
        assertThatThrownBy(() -> Durations.parse("5x", "--wait")).hasMessageStartingWith("--wait:");
        assertThatThrownBy(() -> Durations.parse("", "--wait")).hasMessageStartingWith("--wait: empty");
        assertThatThrownBy(() -> Durations.parse("PT1Q", "--wait")).hasMessageContaining("ISO-8601");
    }

    @Test
    void shouldFormatWhatItReads() {
        for (String text : new String[] {"90s", "1m30s", "1h", "2d3h", "250ms", "1m0s500ms"}) {
            Duration d = Durations.parse(text, "x");
            assertThat(Durations.parse(Durations.format(d), "x")).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
