package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ToolTimeoutChain: K timeouts in a row per agent and tool; a success resets; the tools' aggregates. */
class ToolTimeoutChainTest {
    private static final String CHAIN = "ToolTimeoutChain";
    private final TopologyFixture fixture = new TopologyFixture();
    private double minute = 1;

    @AfterEach
    void close() {
        fixture.close();
    }

    private AgentEvent call(String agent, String tool, Status status) {
        minute += 0.1;
        return Events.step(agent, Traffic.minute(minute), e -> {
            e.setOperation(Operation.EXECUTE_TOOL);
            e.setToolName(tool);
            e.setToolArgsHash("h-" + minute);
            e.setStatus(status);
            e.setLatencyMs(status == Status.TIMEOUT ? 30_000L : 400L);
            e.setInputTokens(null);
            e.setOutputTokens(null);
        });
    }

    @Test
    void shouldFireOnTheThirdTimeoutInARowOfOneToolAndResolveOnItsNextSuccess() {
        fixture.send(call("flaky", "crm_lookup", Status.TIMEOUT));
        fixture.send(call("flaky", "crm_lookup", Status.TIMEOUT));
        fixture.send(call("flaky", "web_search", Status.OK));             // another tool does not reset the chain
        assertThat(fixture.alerts()).isEmpty();

        fixture.send(call("flaky", "crm_lookup", Status.TIMEOUT));
        fixture.send(call("flaky", "crm_lookup", Status.TIMEOUT));

        List<Alert> alerts = fixture.alerts();
        List<Alert> firing = of(alerts, CHAIN, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getLabels()).containsEntry("tool_name", "crm_lookup");
        assertThat(firing.get(0).getValue()).isEqualTo(3);
        assertThat(firing.get(0).getSummary()).contains("crm_lookup timed out 3 times in a row");

        fixture.send(call("flaky", "crm_lookup", Status.OK));

        List<Alert> resolved = of(fixture.alerts(), CHAIN, AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getFingerprint()).isEqualTo(firing.get(0).getFingerprint());
    }

    @Test
    void shouldResetTheChainOnASuccessOfThatTool() {
        for (int i = 0; i < 4; i++) {
            fixture.send(call("recovering", "crm_lookup", Status.TIMEOUT));
            fixture.send(call("recovering", "crm_lookup", Status.TIMEOUT));
            fixture.send(call("recovering", "crm_lookup", Status.OK));
        }

        assertThat(of(fixture.alerts(), CHAIN, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldNeitherCountNorResetOnErrorsAndKeepAgentsApart() {
        fixture.send(call("a", "crm_lookup", Status.TIMEOUT));
        fixture.send(call("a", "crm_lookup", Status.ERROR));
        fixture.send(call("b", "crm_lookup", Status.TIMEOUT));
        fixture.send(call("a", "crm_lookup", Status.TIMEOUT));
        assertThat(fixture.alerts()).as("two timeouts of a, one of b").isEmpty();

        fixture.send(call("a", "crm_lookup", Status.TIMEOUT));

        assertThat(of(fixture.alerts(), CHAIN, AlertStatus.FIRING)).extracting(x -> x.getScope().getAgentId()).containsExactly("a");
    }

    @Test
    void shouldResolveAfterResolveAfterWhenTheToolIsNoLongerCalled() {
        for (int i = 0; i < 3; i++) {
            fixture.send(call("abandoned", "crm_lookup", Status.TIMEOUT));
        }
        new Traffic().steps("other", 2, 15, 2, (a, t, n) -> Events.step(a, t)).sendTo(fixture);

        assertThat(of(fixture.alerts(), CHAIN, AlertStatus.RESOLVED)).hasSize(1);
    }

    @Test
    void shouldKeepCallsFailuresAndLatencyPerAgentAndTool() {
        fixture.send(call("counted", "crm_lookup", Status.TIMEOUT));
        fixture.send(call("counted", "crm_lookup", Status.ERROR));
        fixture.send(call("counted", "crm_lookup", Status.OK));
        fixture.send(call("counted", "web_search", Status.OK));

        List<Map<String, Object>> tools = ToolTimeoutChainDetector.describe(fixture.store(StoreNames.AGENT_TOOLS).get("counted"),
                List.of("tool-timeout-chain"));

        assertThat(tools).hasSize(2);
        assertThat(tools.get(0)).containsEntry("tool_name", "crm_lookup").containsEntry("calls", 3L).containsEntry("failures", 2L)
                .containsEntry("timeouts", 1L).containsEntry("total_latency_ms", 30_800L).containsEntry("timeouts_in_a_row", 0);
        assertThat(tools.get(1)).containsEntry("tool_name", "web_search").containsEntry("calls", 1L);
    }
}
