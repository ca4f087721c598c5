package io.agentwatch.gateway.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonEventReaderTest {
    private static final long NOW = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();
    private final JsonEventReader reader = new JsonEventReader(new EventRules(300_000));

    private List<JsonEventReader.Item> read(String body) throws Exception {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), false, Caller.ANONYMOUS, NOW);
    }

    private JsonEventReader.Item one(String body) throws Exception {
        List<JsonEventReader.Item> items = read(body);
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    @Test
    void shouldReadAFullEventWithDesignsFieldNames() throws Exception {
        JsonEventReader.Item item = one("""
                {"event_id": "7d1c3f5e-0000-4000-8000-000000000001", "timestamp": 1768471200000, "agent_id": "agent-7",
                 "agent_name": "Refund helper", "agent_version": "2.4.1", "tenant": "acme", "workflow": "refunds",
                 "session_id": "s-1", "trace_id": "0102030405060708090a0b0c0d0e0f10", "span_id": "1112131415161718",
                 "parent_span_id": null, "operation": "CHAT", "provider": "openai", "model": "gpt-4o", "status": "ERROR",
                 "error_type": "rate_limit", "latency_ms": 1250, "input_tokens": 1200, "output_tokens": 300, "cost_usd": 0.006,
                 "tool_name": null, "tool_args_hash": null, "retry_count": 1, "iteration": 3, "max_iterations": 10,
                 "confidence": 0.9, "outcome": "SUCCEEDED", "approval": "NOT_REQUIRED", "attributes": {"team": "payments"}}
                """);
        assertThat(item.error()).isNull();
        AgentEvent e = item.event();
        assertThat(e.getEventId()).isEqualTo("7d1c3f5e-0000-4000-8000-000000000001");
        assertThat(e.getTimestamp().toEpochMilli()).isEqualTo(1_768_471_200_000L);
        assertThat(e.getAgentId()).isEqualTo("agent-7");
        assertThat(e.getOperation()).isEqualTo(Operation.CHAT);
        assertThat(e.getStatus()).isEqualTo(Status.ERROR);
        assertThat(e.getLatencyMs()).isEqualTo(1250L);
        assertThat(e.getRetryCount()).isEqualTo(1);
        assertThat(e.getConfidence()).isEqualTo(0.9);
        assertThat(e.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(e.getAttributes()).containsExactly(Map.entry("team", "payments"));
        assertThat(e.getParentSpanId()).isNull();
    }

    @Test
    void shouldFillDefaultsForAMinimalEvent() throws Exception {
        AgentEvent e = one("{\"agent_id\": \"a\"}").event();
        assertThat(e.getEventId()).hasSize(36);
        assertThat(e.getTimestamp().toEpochMilli()).isEqualTo(NOW);
        assertThat(e.getOperation()).isEqualTo(Operation.OTHER);
        assertThat(e.getStatus()).isEqualTo(Status.OK);
        assertThat(e.getAttributes()).isEmpty();
    }

    @Test
    void shouldAcceptIsoTimestampsAndLowerCaseEnumSymbols() throws Exception {
        AgentEvent e = one("{\"agent_id\": \"a\", \"timestamp\": \"2026-01-15T09:59:00Z\", \"operation\": \"execute_tool\", \"outcome\": \"manual-rescue\"}").event();
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-01-15T09:59:00Z"));
        assertThat(e.getOperation()).isEqualTo(Operation.EXECUTE_TOOL);
        assertThat(e.getOutcome()).isEqualTo(Outcome.MANUAL_RESCUE);
    }

    @Test
    void shouldReadAnArrayAndReportEachKindOfInvalidItemByIndexNamingTheFieldWhileKeepingTheValidOnes() throws Exception {
        List<JsonEventReader.Item> items = read("""
                [
                  {"agent_id": "ok-1", "input_tokens": 10},
                  {"agent_name": "no id"},
                  {"agent_id": "a", "input_tokens": -5},
                  {"agent_id": "a", "operation": "DANCE"},
                  {"agent_id": "a", "latency_ms": "fast"},
                  {"agent_id": "a", "confidence": 1.5},
                  {"agent_id": "a", "agentid": "typo"},
                  {"agent_id": "a", "model": "%s"},
                  "not an object",
                  {"agent_id": "ok-2"}
                ]
                """.formatted("m".repeat(2000)));
        assertThat(items).hasSize(10);
        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(1).error()).isEqualTo("agent_id: is missing");
        assertThat(items.get(2).error()).isEqualTo("input_tokens: must be >= 0, was -5");
        assertThat(items.get(2).field()).isEqualTo("input_tokens");
        assertThat(items.get(3).error()).startsWith("operation: unknown value 'DANCE', expected one of [CHAT, EXECUTE_TOOL");
        assertThat(items.get(4).error()).isEqualTo("latency_ms: expected an integer, got the string 'fast'");
        assertThat(items.get(5).error()).startsWith("confidence: must be within 0..1");
        assertThat(items.get(6).error()).startsWith("agentid: unknown field");
        assertThat(items.get(7).error()).isEqualTo("model: longer than 1024 characters");
        assertThat(items.get(8).error()).startsWith("event: expected a JSON object");
        assertThat(items.get(9).valid()).isTrue();
        assertThat(items).extracting(JsonEventReader.Item::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void shouldRejectWrongTypesForEveryKindOfField() throws Exception {
        assertThat(one("{\"agent_id\": 7}").error()).isEqualTo("agent_id: expected a string, got the number 7");
        assertThat(one("{\"agent_id\": \"a\", \"cost_usd\": \"1.0\"}").error()).isEqualTo("cost_usd: expected a number, got the string '1.0'");
        assertThat(one("{\"agent_id\": \"a\", \"retry_count\": 1.5}").error()).isEqualTo("retry_count: expected an integer, got 1.5");
        assertThat(one("{\"agent_id\": \"a\", \"retry_count\": 3000000000}").error()).isEqualTo("retry_count: 3000000000 is out of range");
        assertThat(one("{\"agent_id\": \"a\", \"attributes\": [\"x\"]}").error()).startsWith("attributes: expected an object of strings");
        assertThat(one("{\"agent_id\": \"a\", \"attributes\": {\"k\": {\"x\": 1}}}").error()).isEqualTo("attributes.k: expected a string, got an object");
        assertThat(one("{\"agent_id\": \"a\", \"operation\": null}").error()).isEqualTo("operation: must not be null");
        assertThat(one("{\"agent_id\": \"a\", \"timestamp\": \"yesterday\"}").error()).startsWith("timestamp: 'yesterday' is not an ISO-8601 instant");
        assertThat(one("{\"agent_id\": \"a\", \"timestamp\": 1768471200}").error()).startsWith("timestamp: is absurd");
    }

    @Test
    void shouldReadNewlineDelimitedJsonReportingAMalformedLineAloneByItsLineNumber() throws Exception {
        String body = "{\"agent_id\": \"a\"}\n\n{\"agent_id\": \n{\"agent_id\": \"c\"}\n";
        List<JsonEventReader.Item> items = reader.read(body.getBytes(StandardCharsets.UTF_8), true, Caller.ANONYMOUS, NOW);
        assertThat(items).hasSize(3);
        assertThat(items.get(0).valid()).isTrue();
        assertThat(items.get(1).error()).startsWith("line 3: malformed JSON");
        assertThat(items.get(2).event().getAgentId()).isEqualTo("c");
    }

    @Test
    void shouldReadConcatenatedObjectsSentAsApplicationJson() throws Exception {
        assertThat(read("{\"agent_id\": \"a\"}\n{\"agent_id\": \"b\"}")).hasSize(2).allMatch(JsonEventReader.Item::valid);
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonAsAWhole() {
        assertThatThrownBy(() -> read("[{\"agent_id\": \"a\"},")).isInstanceOf(JsonEventReader.MalformedBodyException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> read("   ")).isInstanceOf(JsonEventReader.MalformedBodyException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void shouldStampTheTokensTenantAndRejectAnItemNamingAnotherTenant() throws Exception {
        Caller acme = Caller.ofTenant("acme");
        List<JsonEventReader.Item> items = reader.read("""
                [{"agent_id": "a"}, {"agent_id": "b", "tenant": "acme"}, {"agent_id": "c", "tenant": "globex"}]
                """.getBytes(StandardCharsets.UTF_8), false, acme, NOW);
        assertThat(items.get(0).event().getTenant()).isEqualTo("acme");
        assertThat(items.get(1).event().getTenant()).isEqualTo("acme");
        assertThat(items.get(2).error()).isEqualTo("tenant: the token is for tenant 'acme', the event names tenant 'globex'");
    }

    @Test
    void shouldRejectTooManyOrTooLongAttributes() throws Exception {
        StringBuilder many = new StringBuilder("{\"agent_id\": \"a\", \"attributes\": {");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
        }
        many.append("}}");
        assertThat(one(many.toString()).error()).isEqualTo("attributes: more than 64 entries (65)");
        assertThat(one("{\"agent_id\": \"a\", \"attributes\": {\"k\": \"" + "v".repeat(300) + "\"}}").error())
                .isEqualTo("attributes.k: longer than 256 characters");
    }
}
