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
import io.agentwatch.schema.Severity;
import io.agentwatch.schema.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CascadeFailure: three agents failing within a minute in one trace, linked by span lineage (also when children
 * arrive before their parents), one alert naming the root cause, and the downstream agents' own alerts caused by it.
 */
class CascadeFailureTest {
    private static final String CASCADE = "CascadeFailure";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** An agent's run span in the trace, child of {@code parentSpan} (null for the root run). */
    private static AgentEvent run(String agent, String span, String parentSpan, long ts) {
        return Events.step(agent, ts, e -> {
            e.setTraceId(TRACE);
            e.setSpanId(span);
            e.setParentSpanId(parentSpan);
            e.setOperation(Operation.INVOKE_AGENT);
        });
    }

    /** A failing step of an agent's run. */
    private static AgentEvent failure(String agent, String span, String runSpan, long ts) {
        return Events.step(agent, ts, e -> {
            e.setTraceId(TRACE);
            e.setSpanId(span);
            e.setParentSpanId(runSpan);
            e.setOperation(Operation.EXECUTE_TOOL);
            e.setToolName("call_" + agent);
            e.setStatus(Status.ERROR);
        });
    }

    /** Something later, elsewhere, that moves stream time past the settle period. */
    private void later(double minute) {
        fixture.send(Events.step("bystander", Traffic.minute(minute)));
    }

    @Test
    void shouldFireOneCriticalAlertNamingTheRootCauseWhenThreeAgentsOfATraceFail() {
        long t = Traffic.minute(1);
        fixture.send(run("orchestrator", "a000000000000001", null, t));
        fixture.send(failure("orchestrator", "a000000000000002", "a000000000000001", t + 500));
        fixture.send(run("researcher", "b000000000000001", "a000000000000001", t + 800));
        fixture.send(failure("researcher", "b000000000000002", "b000000000000001", t + 1_500));
        fixture.send(run("fact-checker", "c000000000000001", "b000000000000001", t + 2_000));
        fixture.send(failure("fact-checker", "c000000000000002", "c000000000000001", t + 2_800));
        later(1.5);
        // a fourth failure in the same trace is part of the same incident
        fixture.send(failure("orchestrator", "a000000000000003", "a000000000000001", Traffic.minute(1.6)));
        later(2);

        List<Alert> firing = of(fixture.alerts(), CASCADE, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        Alert alert = firing.get(0);
        assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.getRootCauseAgentId()).isEqualTo("orchestrator");
        assertThat(alert.getLabels()).containsEntry("affected_agents", "orchestrator,researcher,fact-checker")
                .containsEntry("root_cause_agent_id", "orchestrator");
        assertThat(alert.getScope().getTraceId()).isEqualTo(TRACE);
        assertThat(alert.getEvidenceTraceIds()).containsExactly(TRACE);
        assertThat(alert.getStartsAt().toEpochMilli()).as("the third agent's failure").isEqualTo(t + 2_800);
        assertThat(alert.getValue()).isEqualTo(3);
    }

    @Test
    void shouldNotFireForTwoFailingAgents() {
        long t = Traffic.minute(1);
        fixture.send(run("orchestrator", "a000000000000001", null, t));
        fixture.send(failure("orchestrator", "a000000000000002", "a000000000000001", t + 500));
        fixture.send(run("researcher", "b000000000000001", "a000000000000001", t + 800));
        fixture.send(failure("researcher", "b000000000000002", "b000000000000001", t + 1_500));
        fixture.send(failure("researcher", "b000000000000003", "b000000000000001", t + 1_600));
        fixture.send(run("fact-checker", "c000000000000001", "b000000000000001", t + 2_000));   // runs, does not fail
        later(3);

        assertThat(of(fixture.alerts(), CASCADE, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldNotFireWhenTheFailuresAreMoreThanAMinuteApart() {
        long t = Traffic.minute(1);
        fixture.send(run("orchestrator", "a000000000000001", null, t));
        fixture.send(failure("orchestrator", "a000000000000002", "a000000000000001", t));
        fixture.send(run("researcher", "b000000000000001", "a000000000000001", t + 40_000));
        fixture.send(failure("researcher", "b000000000000002", "b000000000000001", t + 40_000));
        fixture.send(run("fact-checker", "c000000000000001", "b000000000000001", t + 80_000));
        fixture.send(failure("fact-checker", "c000000000000002", "c000000000000001", t + 80_000));
        later(4);

        assertThat(of(fixture.alerts(), CASCADE, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldLinkChildrenThatArriveBeforeTheirParentsAndNameTheUpstreamAgent() {
        long t = Traffic.minute(1);
        // the downstream agents fail first, and their spans arrive first; the root's run span arrives last
        fixture.send(run("fact-checker", "c000000000000001", "b000000000000001", t + 100));
        fixture.send(failure("fact-checker", "c000000000000002", "c000000000000001", t + 200));
        fixture.send(run("researcher", "b000000000000001", "a000000000000001", t + 50));
        fixture.send(failure("researcher", "b000000000000002", "b000000000000001", t + 1_000));
        fixture.send(failure("orchestrator", "a000000000000002", "a000000000000001", t + 2_000));
        fixture.send(run("orchestrator", "a000000000000001", null, t));
        later(2);

        List<Alert> firing = of(fixture.alerts(), CASCADE, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getRootCauseAgentId()).as("upstream of the others, though the last to fail").isEqualTo("orchestrator");
    }

    @Test
    void shouldMarkTheDownstreamAgentsOwnAlertsAsCausedByTheCascade() {
        long t = Traffic.minute(1);
        fixture.send(run("orchestrator", "a000000000000001", null, t));
        fixture.send(failure("orchestrator", "a000000000000002", "a000000000000001", t + 500));
        fixture.send(run("researcher", "b000000000000001", "a000000000000001", t + 800));
        fixture.send(failure("researcher", "b000000000000002", "b000000000000001", t + 1_500));
        fixture.send(run("fact-checker", "c000000000000001", "b000000000000001", t + 2_000));
        fixture.send(failure("fact-checker", "c000000000000002", "c000000000000001", t + 2_800));
        // then all three keep failing, each in traces of their own
        Traffic.Factory failing = (a, ts, n) -> Events.step(a, ts, e -> {
            e.setTraceId(a + "-trace-" + n);
            e.setStatus(n % 2 == 0 ? Status.ERROR : Status.OK);
        });
        Traffic.Factory timeouts = (a, ts, n) -> Events.step(a, ts, e -> {
            e.setTraceId(a + "-tool-" + n);
            e.setOperation(Operation.EXECUTE_TOOL);
            e.setToolName("lookup");
            e.setStatus(Status.TIMEOUT);
        });
        new Traffic()
                .steps("orchestrator", 1.2, 8, 10, failing)
                .steps("researcher", 1.2, 8, 10, failing)
                .steps("fact-checker", 1.2, 8, 10, failing)
                .steps("fact-checker", 1.3, 1.8, 8, timeouts)
                .sendTo(fixture);

        List<Alert> alerts = new ArrayList<>(fixture.alerts());
        Alert cascade = of(alerts, CASCADE, AlertStatus.FIRING).get(0);
        List<Alert> errorRates = of(alerts, "AgentErrorRateHigh", AlertStatus.FIRING);
        assertThat(errorRates).extracting(a -> a.getScope().getAgentId()).containsExactlyInAnyOrder("orchestrator", "researcher", "fact-checker");
        for (Alert a : errorRates) {
            if (a.getScope().getAgentId().equals("orchestrator")) {
                assertThat(a.getLabels()).as("the root cause's own alert").doesNotContainKey("caused_by");
            } else {
                assertThat(a.getLabels()).containsEntry("caused_by", cascade.getFingerprint());
            }
        }
        assertThat(of(alerts, "ToolTimeoutChain", AlertStatus.FIRING)).singleElement()
                .satisfies(a -> assertThat(a.getLabels()).containsEntry("caused_by", cascade.getFingerprint()));
    }

    @Test
    void shouldResolveTheCascadeAfterTheTraceHasHadNoFailureForTheResolvePeriod() {
        long t = Traffic.minute(1);
        fixture.send(failure("a", "a000000000000002", "a000000000000001", t));
        fixture.send(failure("b", "b000000000000002", "b000000000000001", t + 100));
        fixture.send(failure("c", "c000000000000002", "c000000000000001", t + 200));
        later(2);
        Alert fired = of(fixture.alerts(), CASCADE, AlertStatus.FIRING).get(0);
        assertThat(fired.getRootCauseAgentId()).as("unlinked: the earliest failure").isEqualTo("a");

        new Traffic().steps("bystander", 2, 13, 2, (a, ts, n) -> Events.step(a, ts)).sendTo(fixture);

        assertThat(of(fixture.alerts(), CASCADE, AlertStatus.RESOLVED)).singleElement()
                .satisfies(a -> assertThat(a.getFingerprint()).isEqualTo(fired.getFingerprint()));
    }
}
