package io.agentwatch.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The option handling of score; reading a real topic is covered against a broker. */
class ScoreCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ScoreCommand());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void shouldNameTheOptionInEveryUsageError() throws IOException {
        Path truth = dir.resolve("truth.jsonl");
        Files.writeString(truth, "{\"incident_id\":\"e-1\",\"kind\":\"error_burst\",\"expected_alertnames\":[\"AgentErrorRateHigh\"],"
                + "\"agent_id\":\"a\",\"start_ms\":1,\"end_ms\":2}\n");
        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "{\"incident_id\":\"e-1\"}\n");

        assertError("Missing required options: '--truth=FILE', '--bootstrap=HOST:PORT[,...]', '--registry=URL'");
        assertError("--truth: no such file", "--truth", dir.resolve("none").toString(), "--bootstrap", "k:9092", "--registry", "http://r:8081");
        assertError("--truth: " + broken + " line 1 is not a ground-truth record", "--truth", broken.toString(), "--bootstrap", "k:9092", "--registry", "http://r:8081");
        assertError("--registry: schema.registry.url must be http(s)", "--truth", truth.toString(), "--bootstrap", "k:9092", "--registry", "r:8081");
        assertError("Invalid value for option '--wait'", "--truth", truth.toString(), "--bootstrap", "k:9092", "--registry", "http://r:8081", "--wait", "forever");
        assertError("--consumer-config: no such file", "--truth", truth.toString(), "--bootstrap", "k:9092", "--registry", "http://r:8081",
                "--consumer-config", dir.resolve("none.properties").toString());
    }

    private void assertError(String message, String... args) {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
