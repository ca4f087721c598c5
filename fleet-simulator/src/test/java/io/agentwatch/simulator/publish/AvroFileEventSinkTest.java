package io.agentwatch.simulator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AvroFileEventSinkTest {

    @ParameterizedTest
    @ValueSource(strings = {"zstandard", "deflate", "null"})
    void shouldReadBackExactlyTheEventsWritten(String codec, @TempDir Path dir) {
        FleetSimulator simulator = new FleetSimulator(SimulationConfig.of(3, 12, 100, Duration.ofMinutes(2), 1_767_225_600_000L));
        List<AgentEvent> written = new ArrayList<>();
        Path file = dir.resolve("out/events.avro");
        try (AvroFileEventSink sink = new AvroFileEventSink(file, codec, 3)) {
            for (AgentEvent e : simulator) {
                sink.send(e);
                written.add(e);
            }
            sink.flush();
            assertThat(sink.acknowledged()).isEqualTo(written.size());
        }

        List<AgentEvent> read = new ArrayList<>();
        try (EventFileReader reader = new EventFileReader(file)) {
            reader.forEachRemaining(read::add);
        }
        assertThat(read).hasSize(written.size()).isEqualTo(written);
    }

    @Test
    void shouldRefuseAnUnknownCodecByName(@TempDir Path dir) {
        assertThatThrownBy(() -> new AvroFileEventSink(dir.resolve("e.avro"), "lzma9", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown Avro codec 'lzma9'");
    }

    @Test
    void shouldSayWhichFileIsMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> new EventFileReader(dir.resolve("none.avro"))).hasMessageContaining("none.avro");
    }
}
