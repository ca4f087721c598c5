package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AgentLoopDetected: the same call repeated, retries over the limit, cycles of tools; never different arguments. */
class AgentLoopDetectedTest {
    private static final String LOOP = "AgentLoopDetected";
    private final TopologyFixture fixture = new TopologyFixture();
    private double minute = 1;

    @AfterEach
    void close() {
        fixture.close();
    }

    private AgentEvent tool(String agent, String session, String tool, String args, int retry) {
        minute += 0.05;
        return Events.step(agent, Traffic.minute(minute), e -> {
            e.setSessionId(session);
            e.setOperation(Operation.EXECUTE_TOOL);
            e.setToolName(tool);
            e.setToolArgsHash(args);
            e.setRetryCount(retry);
            e.setInputTokens(null);
            e.setOutputTokens(null);
        });
    }

    @Test
    void shouldFireWhenTheSameToolIsCalledWithTheSameArgumentsThreeTimesInASession() {
        fixture.send(tool("stuck", "s-1", "search_docs", "h-1", 0));
        fixture.send(tool("stuck", "s-1", "fetch_page", "h-9", 0));
        fixture.send(tool("stuck", "s-1", "search_docs", "h-1", 0));
        assertThat(fixture.alerts()).isEmpty();

        fixture.send(tool("stuck", "s-1", "search_docs", "h-1", 0));
        fixture.send(tool("stuck", "s-1", "search_docs", "h-1", 0));

        List<Alert> firing = of(fixture.alerts(), LOOP, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        Alert alert = firing.get(0);
        assertThat(alert.getScope().getSessionId()).isEqualTo("s-1");
        assertThat(alert.getLabels()).containsEntry("tool_name", "search_docs").containsEntry("loop_kind", "same_call");
        assertThat(alert.getValue()).isEqualTo(3);
        assertThat(alert.getSummary()).contains("search_docs called 3 times with the same arguments");
    }

    @Test
    void shouldNotCallTheSameToolWithDifferentArgumentsALoop() {
        for (int i = 0; i < 10; i++) {
            fixture.send(tool("diligent", "s-1", "search_docs", "h-" + i, 0));
        }
        // a call and its retry, twice: two of each, never three
        fixture.send(tool("diligent", "s-2", "fetch_page", "h-a", 0));
        fixture.send(tool("diligent", "s-2", "fetch_page", "h-a", 1));
        fixture.send(tool("diligent", "s-2", "fetch_page", "h-b", 0));
        fixture.send(tool("diligent", "s-2", "fetch_page", "h-b", 1));

        assertThat(of(fixture.alerts(), LOOP, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldKeepSessionsApart() {
        fixture.send(tool("busy", "s-1", "search_docs", "h-1", 0));
        fixture.send(tool("busy", "s-1", "search_docs", "h-1", 0));
        fixture.send(tool("busy", "s-2", "search_docs", "h-1", 0));
        fixture.send(tool("other", "s-1", "search_docs", "h-1", 0));

        assertThat(of(fixture.alerts(), LOOP, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldFireOnARetryCountAboveTheLimitWithOrWithoutATool() {
        fixture.send(tool("retrier", "s-1", "search_docs", "h-1", 3));
        assertThat(fixture.alerts()).as("3 retries is the limit, not over it").isEmpty();

        fixture.send(tool("retrier", "s-1", "search_docs", "h-2", 4));
        minute += 0.05;
        fixture.send(Events.step("chat-retrier", Traffic.minute(minute), e -> {
            e.setSessionId("s-9");
            e.setRetryCount(5);
        }));

        List<Alert> firing = of(fixture.alerts(), LOOP, AlertStatus.FIRING);
        assertThat(firing).extracting(a -> a.getScope().getAgentId()).containsExactly("retrier", "chat-retrier");
        assertThat(firing).allSatisfy(a -> assertThat(a.getLabels()).containsEntry("loop_kind", "retries"));
        assertThat(firing.get(1).getValue()).isEqualTo(5);
    }

    @Test
    void shouldFireOnASequenceOfToolsRepeatedFourTimesWhateverTheArguments() {
        String[] cycle = {"plan_step", "search_docs", "plan_step", "search_docs", "plan_step", "search_docs", "plan_step"};
        for (int i = 0; i < cycle.length; i++) {
            fixture.send(tool("cycler", "s-1", cycle[i], "h-" + i, 0));
        }
        assertThat(fixture.alerts()).as("three and a half repeats").isEmpty();

        fixture.send(tool("cycler", "s-1", "search_docs", "h-7", 0));

        List<Alert> firing = of(fixture.alerts(), LOOP, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getLabels()).containsEntry("loop_kind", "cycle");
        assertThat(firing.get(0).getSummary()).contains("2-tool sequence repeated 4 times");
    }

    @Test
    void shouldFindThreeToolCyclesButNotAnIrregularMix() {
        String[] mixed = {"a", "b", "c", "a", "c", "b", "a", "b", "c", "b", "a", "c"};
        for (int i = 0; i < mixed.length; i++) {
            fixture.send(tool("mixer", "s-1", mixed[i], "h-" + i, 0));
        }
        assertThat(fixture.alerts()).isEmpty();

        String[] three = {"a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c"};
        for (int i = 0; i < three.length; i++) {
            fixture.send(tool("mixer", "s-2", three[i], "x-" + i, 0));
        }
        assertThat(of(fixture.alerts(), LOOP, AlertStatus.FIRING)).hasSize(1)
                .first().satisfies(a -> assertThat(a.getScope().getSessionId()).isEqualTo("s-2"));
    }

    @Test
    void shouldResolveOnceTheSessionHasStoppedLoopingForTheResolveAfterPeriod() {
        for (int i = 0; i < 4; i++) {
            fixture.send(tool("stuck", "s-1", "search_docs", "h-1", 0));
        }
        Alert fired = of(fixture.alerts(), LOOP, AlertStatus.FIRING).get(0);

        new Traffic().steps("other", 2, 14, 2, (a, t, n) -> Events.step(a, t)).sendTo(fixture);

        List<Alert> resolved = of(fixture.alerts(), LOOP, AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getFingerprint()).isEqualTo(fired.getFingerprint());
        assertThat(resolved.get(0).getEndsAt().toEpochMilli()).isBetween(Traffic.minute(11.2), Traffic.minute(11.4));
    }
}
