package io.agentwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationConfigTest {
    private static final long START = Simulations.START;

    @Test
    void shouldRefuseImpossibleValuesWithMessagesThatNameThem() {
        assertThatThrownBy(() -> SimulationConfig.of(1, 0, 100, Duration.ofMinutes(1), START)).hasMessageContaining("agents");
        assertThatThrownBy(() -> SimulationConfig.of(1, 10, 0, Duration.ofMinutes(1), START)).hasMessageContaining("rate");
        assertThatThrownBy(() -> SimulationConfig.of(1, 10, Double.NaN, Duration.ofMinutes(1), START)).hasMessageContaining("rate");
        assertThatThrownBy(() -> SimulationConfig.of(1, 10, 100, Duration.ZERO, START)).hasMessageContaining("duration");
        assertThatThrownBy(() -> SimulationConfig.of(1, 10, 100, Duration.ofMinutes(1), 1_767_225_600L)).hasMessageContaining("seconds instead of milliseconds");
    }

    @Test
    void shouldRefuseARateTheHeartbeatsAloneWouldEatUp() {
        assertThatThrownBy(() -> SimulationConfig.of(1, 1000, 150, Duration.ofMinutes(1), START))
                .hasMessageContaining("heartbeats")
                .hasMessageContaining("at least 200 events/s");
    }

    @Test
    void shouldAllowNoHeartbeats() {
        SimulationConfig config = new SimulationConfig(1, 1000, 50, Duration.ofMinutes(1), START, java.util.List.of(), Duration.ZERO, 0);
        assertThat(new FleetSimulator(config).stream().limit(1000).noneMatch(e -> e.getOperation() == io.agentwatch.schema.Operation.HEARTBEAT)).isTrue();
    }

    @Test
    void shouldStopAtTheEventLimit() {
        SimulationConfig config = Simulations.healthy(1).withMaxEvents(1234);
        assertThat(new FleetSimulator(config).stream().count()).isEqualTo(1234);
    }
}
