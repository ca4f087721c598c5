package io.agentwatch.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.publish.EventFileReader;
import io.agentwatch.simulator.truth.GroundTruth;
import io.agentwatch.simulator.truth.GroundTruthFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong();
    private final List<Long> sleeps = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        SimulateCommand command = new SimulateCommand(Clock.fixed(NOW, ZoneOffset.UTC), nanos::get, ms -> {
            sleeps.add(ms);
            nanos.addAndGet(ms * 1_000_000L);
        });
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static List<AgentEvent> read(Path file) {
        List<AgentEvent> events = new ArrayList<>();
        try (EventFileReader reader = new EventFileReader(file)) {
            reader.forEachRemaining(events::add);
        }
        return events;
    }

    @Test
    void shouldWriteEventsAndGroundTruthToFilesAsFastAsPossible() {
        Path events = dir.resolve("events.avro");
        Path truth = dir.resolve("truth.jsonl");

        int code = run("--output", events.toString(), "--truth", truth.toString(), "--no-realtime", "--agents", "20",
                "--rate", "100", "--duration", "5m", "--incidents", "error_burst@1m+2m,cascade", "--start-time", "2026-01-01T00:00:00Z");

        assertThat(code).as(err.toString()).isZero();
        List<AgentEvent> written = read(events);
        assertThat(written.size()).isBetween(27_000, 33_000);
        assertThat(written.get(0).getTimestamp()).isAfterOrEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        List<GroundTruth> incidents = new GroundTruthFile().read(truth);
        assertThat(incidents).extracting(GroundTruth::kind).containsExactly("error_burst", "cascade");
        assertThat(incidents.get(0).startMs()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z").toEpochMilli());
        assertThat(out.toString())
                .contains("simulating 20 agents at 100 events/s for 5m, seed 42, from 2026-01-01T00:00:00Z, as fast as possible")
                .contains("incident error_burst-1")
                .contains("ground truth: " + truth + " (2 incidents)")
                .contains("sending to file " + events)
                .containsPattern("done: sent [0-9,]+ events \\([0-9,]+ acknowledged\\)");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldWriteTheSameBytesForTheSameOptions() throws IOException {
        String[] options = {"--no-realtime", "--agents", "10", "--rate", "50", "--duration", "2m", "--start-time", "1767225600000"};
        assertThat(run(concat(options, "--output", dir.resolve("a.avro").toString(), "--seed", "9"))).isZero();
        assertThat(run(concat(options, "--output", dir.resolve("b.avro").toString(), "--seed", "9"))).isZero();
        assertThat(run(concat(options, "--output", dir.resolve("c.avro").toString(), "--seed", "10"))).isZero();

        assertThat(Files.readAllBytes(dir.resolve("a.avro"))).isEqualTo(Files.readAllBytes(dir.resolve("b.avro")));
        assertThat(Files.readAllBytes(dir.resolve("a.avro"))).isNotEqualTo(Files.readAllBytes(dir.resolve("c.avro")));
    }

    @Test
    void shouldEndTheSimulatedSpanAtNowWhenNotInRealTime() {
        Path events = dir.resolve("e.avro");
        run("--output", events.toString(), "--no-realtime", "--agents", "5", "--rate", "20", "--duration", "2m");
        List<AgentEvent> written = read(events);
        assertThat(written.get(0).getTimestamp()).isAfterOrEqualTo(NOW.minusSeconds(120));
        assertThat(written.get(written.size() - 1).getTimestamp()).isBefore(NOW);
    }

    @Test
    void shouldPaceEventsToTheWallClockInRealTime() {
        Path events = dir.resolve("e.avro");
        int code = run("--output", events.toString(), "--realtime", "--agents", "5", "--rate", "20", "--duration", "30s", "--progress-interval", "10s");

        assertThat(code).as(err.toString()).isZero();
        List<AgentEvent> written = read(events);
        assertThat(written.get(0).getTimestamp()).isAfterOrEqualTo(NOW);
        long lastOffset = written.get(written.size() - 1).getTimestamp().toEpochMilli() - NOW.toEpochMilli();
        long slept = sleeps.stream().mapToLong(Long::longValue).sum();
        assertThat(slept).isBetween(lastOffset - 5, lastOffset);
        assertThat(out.toString()).contains("in real time").containsPattern("sent +[0-9,]+ +acked");
    }

    @Test
    void shouldNameTheOptionInEveryUsageError() {
        assertError(2, "--bootstrap is required", "--agents", "5");
        assertError(2, "--registry is required", "--bootstrap", "localhost:9092");
        assertError(2, "--bootstrap: 'localhost' is not HOST:PORT", "--bootstrap", "localhost", "--registry", "http://r:8081");
        assertError(2, "--registry: schema.registry.url must be http(s)", "--bootstrap", "k:9092", "--registry", "ftp://r");
        assertError(2, "--output and --bootstrap exclude each other", "--bootstrap", "k:9092", "--output", "x.avro");
        assertError(2, "Invalid value for option '--duration': '10' has no unit", "--output", "x.avro", "--duration", "10");
        assertError(2, "Invalid value for option '--duration'", "--output", "x.avro", "--duration", "soon");
        assertError(2, "Invalid value for option '--incidents': unknown incident kind 'meteor'", "--output", "x.avro", "--incidents", "meteor");
        assertError(2, "Invalid value for option '--start-time': 'yesterday' is neither", "--output", "x.avro", "--start-time", "yesterday");
        assertError(2, "--start-time 1767225600 is before 2000-01-01", "--output", "x.avro", "--start-time", "1767225600");
        assertError(2, "--agents must be at least 1", "--output", "x.avro", "--agents", "0");
        assertError(2, "Invalid value for option '--agents'", "--output", "x.avro", "--agents", "many");
        assertError(2, "--rate must be a positive number", "--output", "x.avro", "--rate", "-5");
        assertError(2, "--rate: rate 100.0 events/s is too low for 2000 agents", "--output", "x.avro", "--agents", "2000", "--rate", "100");
        assertError(2, "--incidents: 15 incidents need 14 solo agents", "--output", "x.avro", "--agents", "10", "--incidents", "all");
        assertError(2, "(--agents 22)", "--output", "x.avro", "--agents", "10", "--incidents", "all");
        assertError(2, "--incidents: incident error_burst@20m starts", "--output", "x.avro", "--duration", "10m", "--incidents", "error_burst@20m");
        assertError(2, "--producer-config: no such file", "--bootstrap", "k:9092", "--registry", "http://r:8081", "--producer-config", dir.resolve("none").toString());
        assertError(2, "--output-codec: unknown Avro codec 'rar'", "--output", dir.resolve("x.avro").toString(), "--output-codec", "rar", "--no-realtime");
        assertError(2, "Unknown options: '--agnets', '5'", "--agnets", "5");
    }

    private void assertError(int expectedCode, String message, String... args) {
        err.getBuffer().setLength(0);
        int code = run(args);
        assertThat(code).as("exit code for %s", String.join(" ", args)).isEqualTo(expectedCode);
        assertThat(err.toString()).as("stderr for %s", String.join(" ", args)).contains(message);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
