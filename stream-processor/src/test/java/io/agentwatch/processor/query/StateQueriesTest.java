package io.agentwatch.processor.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.detect.StateViews;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The query answers, read from the stores of the real topology (the routing between instances is in the IT). */
class StateQueriesTest {
    private final TopologyFixture fixture = new TopologyFixture();
    private final StateQueries queries = new StateQueries(new StateViews(RulesFile.defaults(), 10), new int[] {5, 10, 15},
            new StateQueries.LocalStores() {
                @Override
                public ReadOnlyKeyValueStore<String, byte[]> keyValue(String name) {
                    return fixture.driver.getKeyValueStore(name);
                }

                @Override
                public ReadOnlyWindowStore<String, byte[]> window(String name) {
                    return fixture.driver.getWindowStore(name);
                }
            });

    @AfterEach
    void close() {
        fixture.close();
    }

    private void traffic() {
        new Traffic()
                .steps("analyst", 0, 12, 10, (a, t, n) -> Events.step(a, t, e -> {
                    e.setSessionId("s-" + n / 5);
                    if (n % 4 == 3) {
                        e.setOperation(Operation.EXECUTE_TOOL);
                        e.setToolName(n % 8 == 3 ? "search_docs" : "crm_lookup");
                        e.setToolArgsHash("h-" + n);
                        e.setStatus(n % 16 == 3 ? Status.TIMEOUT : Status.OK);
                        e.setInputTokens(null);
                        e.setOutputTokens(null);
                    }
                }))
                .steps("writer", 0, 12, 5, (a, t, n) -> Events.step(a, t))
                .sendTo(fixture);
    }

    @Test
    void shouldDescribeAnAgentsWindowsBaselinesDetectorsAndAlerts() {
        traffic();

        Map<String, Object> agent = queries.agent("analyst").orElseThrow();

        assertThat(agent).containsEntry("agent_id", "analyst").containsEntry("tenant", "acme").containsKeys("windows", "baselines",
                "daily_budget", "silence", "tools", "active_alerts");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> windows = (Map<String, Map<String, Object>>) agent.get("windows");
        assertThat(windows).containsOnlyKeys("5m", "10m", "15m");
        assertThat((Long) windows.get("5m").get("events")).isBetween(40L, 60L);
        assertThat(windows.get("10m").get("latency_p95")).isNotNull();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools = (List<Map<String, Object>>) agent.get("tools");
        assertThat(tools).extracting(t -> t.get("tool_name")).containsExactlyInAnyOrder("search_docs", "crm_lookup");
        assertThat(queries.agent("nobody")).isEqualTo(Optional.empty());
    }

    @Test
    void shouldDescribeASessionOnEveryAgentThatHasIt() {
        traffic();

        List<Map<String, Object>> states = queries.session("s-3");

        assertThat(states).hasSize(1);
        assertThat(states.get(0)).containsEntry("agent_id", "analyst").containsKeys("last_seen", "budget", "loop");
        @SuppressWarnings("unchecked")
        Map<String, Object> budget = (Map<String, Object>) states.get(0).get("budget");
        assertThat((Long) budget.get("tokens")).isPositive();
        assertThat(queries.session("no-such-session")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSummariseTheFleetAndMergeInstances() {
        traffic();

        Map<String, Object> part = queries.fleet();
        Map<String, Object> merged = StateQueries.mergeFleet(List.of(part, part), 10);

        assertThat((List<Map<String, Object>>) part.get("agents")).extracting(a -> a.get("agent_id")).containsExactlyInAnyOrder("analyst", "writer");
        List<Map<String, Object>> byFailures = (List<Map<String, Object>>) merged.get("top_tools_by_failures");
        assertThat(byFailures.get(0)).containsEntry("tool_name", "search_docs");
        List<Map<String, Object>> byTime = (List<Map<String, Object>>) merged.get("top_tools_by_time");
        Map<String, Object> once = ((List<Map<String, Object>>) part.get("tools")).stream()
                .filter(t -> t.get("tool_name").equals(byTime.get(0).get("tool_name"))).findFirst().orElseThrow();
        assertThat((Long) byTime.get(0).get("calls")).as("two parts summed").isEqualTo(2 * (Long) once.get("calls"));
        assertThat((List<Map<String, Object>>) merged.get("agents")).hasSize(4);
    }
}
