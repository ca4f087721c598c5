package io.agentwatch.simulator;

import static io.agentwatch.simulator.Simulations.isError;
import static io.agentwatch.simulator.Simulations.isRun;
import static io.agentwatch.simulator.Simulations.ms;
import static io.agentwatch.simulator.Simulations.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.simulator.incident.IncidentKind;
import io.agentwatch.simulator.incident.IncidentSpec;
import io.agentwatch.simulator.truth.GroundTruth;
import io.agentwatch.simulator.truth.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every incident kind shows up in the events as its class promises, and in the ground truth. */
class IncidentInjectionTest {
    private static FleetSimulator simulator;
    private static List<AgentEvent> events;
    private static Map<String, List<AgentEvent>> byAgent;
    private static Map<String, GroundTruth> truth;
    private static Set<String> incidentAgents;

    @BeforeAll
    static void simulate() {
        simulator = new FleetSimulator(Simulations.allIncidents(42));
        events = new ArrayList<>();
        simulator.forEach(events::add);
        byAgent = Simulations.byAgent(events);
        truth = new HashMap<>();
        incidentAgents = new HashSet<>();
        for (GroundTruth t : simulator.groundTruth()) {
            truth.put(t.kind(), t);
            incidentAgents.addAll(t.involvedAgentIds());
        }
    }

    @Test
    void shouldWriteOneGroundTruthRecordPerKindOnDistinctAgents() {
        List<GroundTruth> all = simulator.groundTruth();
        assertThat(all).extracting(GroundTruth::kind)
                .containsExactlyElementsOf(java.util.Arrays.stream(IncidentKind.values()).map(IncidentKind::id).toList());
        List<String> agents = all.stream().flatMap(t -> t.involvedAgentIds().stream()).toList();
        assertThat(agents).doesNotHaveDuplicates();
        assertThat(simulator.fleet().size() - agents.size()).isGreaterThanOrEqualTo(2);
        assertThat(all).extracting(GroundTruth::incidentId).doesNotHaveDuplicates();
        Map<String, List<String>> expected = all.stream().collect(Collectors.toMap(GroundTruth::kind, GroundTruth::expectedAlertnames));
        assertThat(expected).containsEntry("error_burst", List.of("AgentErrorRateHigh"))
                .containsEntry("latency_regression", List.of("AgentLatencyP95High", "AgentLatencySpike"))
                .containsEntry("token_drift", List.of("AgentTokenDrift"))
                .containsEntry("tool_loop", List.of("AgentLoopDetected"))
                .containsEntry("tool_timeouts", List.of("ToolTimeoutChain"))
                .containsEntry("silent_agent", List.of("AgentSilent"))
                .containsEntry("cascade", List.of("CascadeFailure"))
                .containsEntry("release_regression", List.of("ReleaseRegression"))
                .containsEntry("session_budget", List.of("SessionTokenBudgetExceeded"))
                .containsEntry("iteration_limit", List.of("AgentIterationLimitHit"))
                .containsEntry("run_token_overrun", List.of("RunTokenOverrun"));
        for (GroundTruth t : all) {
            assertThat(t.startMs()).isGreaterThanOrEqualTo(Simulations.START);
            assertThat(t.endMs()).isGreaterThan(t.startMs()).isLessThanOrEqualTo(simulator.config().endMs());
        }
    }

    @Test
    void shouldRaiseOneAgentsErrorRateToAboutFortyPercentDuringAnErrorBurst() {
        GroundTruth t = truth.get("error_burst");
        assertThat(errorRate(during(t))).isBetween(0.25, 0.55);
        assertThat(errorRate(before(t))).isLessThan(0.02);
    }

    @Test
    void shouldMultiplyRunLatencyDuringALatencyRegression() {
        GroundTruth t = truth.get("latency_regression");
        double before = median(before(t).stream().filter(Simulations::isRun).map(AgentEvent::getLatencyMs).toList());
        List<Long> during = during(t).stream().filter(Simulations::isRun).map(AgentEvent::getLatencyMs).sorted().toList();
        assertThat(median(during)).isGreaterThan(4 * before);
        assertThat(during.get((int) (during.size() * 0.95))).isGreaterThan(30_000L);
    }

    @Test
    void shouldMultiplyTokensPerRequestDuringTokenDrift() {
        GroundTruth t = truth.get("token_drift");
        Predicate<AgentEvent> chat = e -> e.getOperation() == Operation.CHAT;
        assertThat(meanTokens(during(t), chat)).isGreaterThan(2 * meanTokens(before(t), chat));
    }

    @Test
    void shouldRepeatOneToolCallWithTheSameArgumentsInTheLoopingSession() {
        GroundTruth t = truth.get("tool_loop");
        assertThat(t.scope()).isEqualTo(Scope.SESSION);
        List<AgentEvent> session = events.stream().filter(e -> t.sessionId().equals(e.getSessionId())).toList();
        assertThat(session).isNotEmpty();
        assertThat(session.stream().map(e -> e.getAgentId() + "/" + e.getTraceId()).distinct().toList()).containsExactly(t.agentId() + "/" + t.traceId());
        assertThat(ms(session.get(0))).isEqualTo(t.startMs());
        Map<String, Long> calls = session.stream().filter(e -> e.getOperation() == Operation.EXECUTE_TOOL && e.getRetryCount() == 0)
                .collect(Collectors.groupingBy(e -> e.getToolName() + "/" + e.getToolArgsHash(), Collectors.counting()));
        assertThat(calls.values()).contains(5L);
        assertThat(session.stream().filter(e -> e.getIteration() >= e.getMaxIterations()).count()).isZero();
    }

    @Test
    void shouldTimeOutTheAgentsMainToolOnEveryCallDuringToolTimeouts() {
        GroundTruth t = truth.get("tool_timeouts");
        String tool = t.details().get("tool_name");
        // runs are shaped when they start: a run started before the window may still call the tool fine early in it
        List<AgentEvent> calls = during(t).stream().filter(e -> tool.equals(e.getToolName()) && ms(e) >= t.startMs() + 60_000).toList();
        assertThat(calls).hasSizeGreaterThanOrEqualTo(3);
        assertThat(calls.stream().map(e -> e.getStatus() + "/" + e.getErrorType()).distinct().toList()).containsExactly("TIMEOUT/timeout");
        assertThat(before(t).stream().filter(e -> e.getStatus() == Status.TIMEOUT).count()).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldSilenceTheAgentCompletelyDuringSilentAgentAndLetItComeBack() {
        GroundTruth t = truth.get("silent_agent");
        assertThat(during(t)).isEmpty();
        assertThat(before(t)).isNotEmpty();
        assertThat(byAgent.get(t.agentId())).anySatisfy(e -> assertThat(ms(e)).isGreaterThanOrEqualTo(t.endMs()));
    }

    @Test
    void shouldFailThreeAgentsOfOneHandOffChainUpstreamFirstWithinSeconds() {
        GroundTruth t = truth.get("cascade");
        assertThat(t.scope()).isEqualTo(Scope.TRACE);
        assertThat(t.rootCauseAgentId()).isEqualTo(t.agentId());
        List<AgentEvent> trace = events.stream().filter(e -> t.traceId().equals(e.getTraceId())).toList();
        List<String> chain = t.involvedAgentIds();
        assertThat(chain).hasSize(3);

        // lineage A -> B -> C through the run spans
        Map<String, AgentEvent> runByAgent = new HashMap<>();
        trace.stream().filter(Simulations::isRun).forEach(e -> runByAgent.put(e.getAgentId(), e));
        assertThat(runByAgent.keySet()).containsExactlyInAnyOrderElementsOf(chain);
        assertThat(runByAgent.get(chain.get(0)).getParentSpanId()).isNull();
        assertThat(runByAgent.get(chain.get(1)).getParentSpanId()).isEqualTo(runByAgent.get(chain.get(0)).getSpanId());
        assertThat(runByAgent.get(chain.get(2)).getParentSpanId()).isEqualTo(runByAgent.get(chain.get(1)).getSpanId());
        assertThat(runByAgent.values()).allSatisfy(run -> {
            assertThat(run.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(run.getStatus()).isEqualTo(Status.ERROR);
        });

        // the first failing step of each agent: upstream first, all within a few seconds of the start
        List<Long> firstFailures = chain.stream().map(agent -> trace.stream()
                .filter(e -> e.getAgentId().equals(agent) && !isRun(e) && isError(e)).mapToLong(Simulations::ms).min().orElseThrow()).toList();
        assertThat(firstFailures).isSorted();
        assertThat(firstFailures.get(0)).isGreaterThanOrEqualTo(t.startMs());
        assertThat(firstFailures.get(2) - t.startMs()).isLessThan(10_000);
    }

    @Test
    void shouldSwitchTheReleaseAndMakeItWorseDuringAReleaseRegression() {
        GroundTruth t = truth.get("release_regression");
        String from = t.details().get("from_version");
        String to = t.details().get("to_version");
        assertThat(to).isNotEqualTo(from);
        assertThat(versions(before(t))).containsExactly(from);
        assertThat(versions(during(t).stream().filter(e -> isRun(e) || e.getOperation() == Operation.HEARTBEAT).toList())).containsExactly(to);
        assertThat(versions(after(t).stream().filter(e -> e.getOperation() == Operation.HEARTBEAT).toList())).containsExactly(from);
        assertThat(errorRate(during(t))).isGreaterThan(0.06);
        double latencyBefore = median(before(t).stream().filter(Simulations::isRun).map(AgentEvent::getLatencyMs).toList());
        double latencyDuring = median(during(t).stream().filter(Simulations::isRun).map(AgentEvent::getLatencyMs).toList());
        assertThat(latencyDuring).isGreaterThan(2 * latencyBefore);
    }

    @Test
    void shouldBurnFarMoreTokensInTheBudgetSessionThanAnyHealthySessionWithoutAnOutsizedRun() {
        GroundTruth t = truth.get("session_budget");
        List<AgentEvent> session = events.stream().filter(e -> t.sessionId().equals(e.getSessionId())).toList();
        long sessionTokens = session.stream().filter(Simulations::isRun).mapToLong(Simulations::tokens).sum();
        long healthiestMax = Simulations.bySession(events).values().stream()
                .filter(s -> !incidentAgents.contains(s.get(0).getAgentId()))
                .mapToLong(s -> s.stream().filter(Simulations::isRun).mapToLong(Simulations::tokens).sum()).max().orElseThrow();
        assertThat(sessionTokens).isGreaterThan(10 * healthiestMax);
        assertThat(session.stream().filter(Simulations::isRun).count()).isGreaterThan(20);
        double agentMeanRun = before(t).stream().filter(Simulations::isRun).mapToLong(Simulations::tokens).average().orElseThrow();
        assertThat(session.stream().filter(Simulations::isRun).mapToLong(Simulations::tokens).max().orElseThrow()).isLessThan((long) (8 * agentMeanRun));
    }

    @Test
    void shouldDriveSomeRunsToTheirIterationLimitOnlyDuringIterationLimit() {
        GroundTruth t = truth.get("iteration_limit");
        List<AgentEvent> limitRuns = during(t).stream().filter(e -> isRun(e) && e.getIteration().equals(e.getMaxIterations())).toList();
        assertThat(limitRuns).isNotEmpty();
        assertThat(limitRuns.stream().map(AgentEvent::getOutcome).distinct().toList()).containsExactly(Outcome.FAILED);
        assertThat(ms(limitRuns.get(0)) - t.startMs()).isLessThan(60_000);
        // runs are shaped when they start: a run started just before the end may finish after it
        Predicate<AgentEvent> atLimit = e -> isRun(e) && e.getIteration() >= e.getMaxIterations();
        assertThat(before(t).stream().filter(atLimit).count()).isZero();
        assertThat(after(t).stream().filter(atLimit).count()).isZero();
    }

    @Test
    void shouldMakeOneRunUseOverTenTimesTheAgentsUsualTokens() {
        GroundTruth t = truth.get("run_token_overrun");
        List<AgentEvent> runs = byAgent.get(t.agentId()).stream().filter(Simulations::isRun).toList();
        AgentEvent overrun = runs.stream().filter(e -> t.traceId().equals(e.getTraceId())).findFirst().orElseThrow();
        assertThat(overrun.getSessionId()).isEqualTo(t.sessionId());
        assertThat(ms(overrun)).isEqualTo(t.startMs());
        double usual = runs.stream().filter(e -> e != overrun).mapToLong(Simulations::tokens).average().orElseThrow();
        assertThat(tokens(overrun)).isGreaterThan((long) (10 * usual));
        assertThat(runs.stream().filter(e -> e != overrun).mapToLong(Simulations::tokens).max().orElseThrow()).isLessThan((long) (4 * usual));
    }

    @Test
    void shouldShiftRunOutcomesForRescueEscalationAndSuccessDrop() {
        assertThat(share(during(truth.get("manual_rescue")), Outcome.MANUAL_RESCUE)).isBetween(0.15, 0.45);
        assertThat(share(during(truth.get("escalation")), Outcome.ESCALATED)).isBetween(0.15, 0.45);
        assertThat(share(during(truth.get("success_rate_drop")), Outcome.SUCCEEDED)).isBetween(0.5, 0.85);
        assertThat(share(before(truth.get("success_rate_drop")), Outcome.SUCCEEDED)).isGreaterThan(0.95);
    }

    @Test
    void shouldLowerRunConfidenceDuringConfidenceDrift() {
        GroundTruth t = truth.get("confidence_drift");
        assertThat(meanConfidence(during(t))).isLessThan(meanConfidence(before(t)) - 0.15);
    }

    @Test
    void shouldLeaveTheAgentsOutsideIncidentsHealthy() {
        List<AgentEvent> healthy = events.stream().filter(e -> !incidentAgents.contains(e.getAgentId())).toList();
        assertThat(healthy).isNotEmpty();
        assertThat(errorRate(healthy)).isLessThan(0.006);
    }

    @Test
    void shouldRefuseIncidentsThatNeedMoreAgentsThanTheFleetHasAndSayHowMany() {
        SimulationConfig small = SimulationConfig.of(1, 10, 100, Duration.ofMinutes(5), Simulations.START)
                .withIncidents(IncidentSpec.parseList("all"));
        assertThatThrownBy(() -> new FleetSimulator(small))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("15 incidents need 14 solo agents")
                .hasMessageContaining("use at least 22 agents");
    }

    @Test
    void shouldRefuseAnIncidentThatStartsAfterTheEnd() {
        SimulationConfig late = SimulationConfig.of(1, 10, 100, Duration.ofMinutes(5), Simulations.START)
                .withIncidents(IncidentSpec.parseList("error_burst@6m"));
        assertThatThrownBy(() -> new FleetSimulator(late)).hasMessageContaining("error_burst@6m").hasMessageContaining("after the end");
    }

    @Test
    void shouldPlaceAnIncidentAtTheRequestedOffsetAndLength() {
        SimulationConfig config = SimulationConfig.of(1, 10, 100, Duration.ofMinutes(5), Simulations.START)
                .withIncidents(IncidentSpec.parseList("error_burst@30s+1m, silent_agent@2m"));
        List<GroundTruth> t = new FleetSimulator(config).groundTruth();
        assertThat(t.get(0).startMs()).isEqualTo(Simulations.START + 30_000);
        assertThat(t.get(0).endMs()).isEqualTo(Simulations.START + 90_000);
        assertThat(t.get(1).startMs()).isEqualTo(Simulations.START + 120_000);
        assertThat(t.get(1).endMs()).isEqualTo(Simulations.START + 120_000 + 150_000);
    }

    // ---- helpers ----

    private static List<AgentEvent> during(GroundTruth t) {
        return slice(t, e -> ms(e) >= t.startMs() && ms(e) < t.endMs());
    }

    private static List<AgentEvent> before(GroundTruth t) {
        return slice(t, e -> ms(e) < t.startMs());
    }

    private static List<AgentEvent> after(GroundTruth t) {
        return slice(t, e -> ms(e) >= t.endMs());
    }

    private static List<AgentEvent> slice(GroundTruth t, Predicate<AgentEvent> when) {
        return byAgent.getOrDefault(t.agentId(), List.of()).stream().filter(when).toList();
    }

    private static Set<String> versions(List<AgentEvent> events) {
        return events.stream().map(AgentEvent::getAgentVersion).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static double errorRate(List<AgentEvent> events) {
        List<AgentEvent> work = events.stream().filter(e -> e.getOperation() != Operation.HEARTBEAT).toList();
        return (double) work.stream().filter(Simulations::isError).count() / work.size();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double meanTokens(List<AgentEvent> events, Predicate<AgentEvent> which) {
        return events.stream().filter(which).mapToLong(Simulations::tokens).average().orElseThrow();
    }

    private static double share(List<AgentEvent> events, Outcome outcome) {
        List<AgentEvent> runs = events.stream().filter(Simulations::isRun).toList();
        return (double) runs.stream().filter(e -> e.getOutcome() == outcome).count() / runs.size();
    }

    private static double meanConfidence(List<AgentEvent> events) {
        return events.stream().filter(Simulations::isRun).mapToDouble(AgentEvent::getConfidence).average().orElseThrow();
    }
}
