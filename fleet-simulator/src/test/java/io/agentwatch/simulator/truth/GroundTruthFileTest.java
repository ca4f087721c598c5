package io.agentwatch.simulator.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthFileTest {
    private final GroundTruthFile file = new GroundTruthFile();

    static GroundTruth loop() {
        return new GroundTruth("tool_loop-1", "tool_loop", List.of("AgentLoopDetected"), "acme-a-001", "s-1", "t-1", null,
                1_000, 61_000, Scope.SESSION, null, null, Map.of("tool_name", "web_search"));
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheContractFieldNames() throws IOException {
        StringWriter out = new StringWriter();
        file.write(out, List.of(loop(), loop()));
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("{\"incident_id\":\"tool_loop-1\",\"kind\":\"tool_loop\",\"expected_alertnames\":[\"AgentLoopDetected\"],"
                + "\"agent_id\":\"acme-a-001\",\"session_id\":\"s-1\",\"trace_id\":\"t-1\",\"root_cause_agent_id\":null,"
                + "\"start_ms\":1000,\"end_ms\":61000,\"scope\":\"session\"");
    }

    @Test
    void shouldReadBackWhatItWrote(@TempDir Path dir) {
        Path path = dir.resolve("sub/truth.jsonl");
        file.write(path, List.of(loop()));
        assertThat(file.read(path)).containsExactly(loop());
    }

    @Test
    void shouldReadTheMinimalFormatAndDeriveTheScope() throws IOException {
        String minimal = """
                {"incident_id":"c-1","kind":"cascade","expected_alertnames":["CascadeFailure"],"agent_id":"a","session_id":null,"trace_id":"t","root_cause_agent_id":"a","start_ms":1,"end_ms":2}

                {"incident_id":"e-1","kind":"error_burst","expected_alertnames":["AgentErrorRateHigh"],"agent_id":"b","start_ms":1,"end_ms":2,"added_later":true}
                """;
        List<GroundTruth> read = file.read(new StringReader(minimal), "truth.jsonl");
        assertThat(read).extracting(GroundTruth::scope).containsExactly(Scope.TRACE, Scope.AGENT);
        assertThat(read.get(1).involvedAgentIds()).containsExactly("b");
        assertThat(read.get(1).sideEffectAlertnames()).isEmpty();
    }

    @Test
    void shouldNameTheLineOfABadRecord() {
        String bad = """
                {"incident_id":"e-1","kind":"error_burst","expected_alertnames":["AgentErrorRateHigh"],"agent_id":"b","start_ms":1,"end_ms":2}
                {"incident_id":"e-2","kind":"error_burst","expected_alertnames":[],"agent_id":"b","start_ms":1,"end_ms":2}
                """;
        assertThatThrownBy(() -> file.read(new StringReader(bad), "truth.jsonl"))
                .hasMessageContaining("truth.jsonl line 2")
                .hasMessageContaining("no expected_alertnames");
    }

    @Test
    void shouldFailClearlyOnAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> file.read(dir.resolve("nope.jsonl"))).hasMessageContaining("cannot read ground truth");
        assertThat(Files.exists(dir.resolve("nope.jsonl"))).isFalse();
    }
}
