package io.agentwatch.simulator;

import static io.agentwatch.simulator.Simulations.isError;
import static io.agentwatch.simulator.Simulations.isRun;
import static io.agentwatch.simulator.Simulations.ms;
import static io.agentwatch.simulator.Simulations.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.simulator.engine.RunConditions;
import io.agentwatch.simulator.fleet.AgentProfile;
import io.agentwatch.simulator.fleet.Catalog;
import io.agentwatch.simulator.fleet.ModelProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A healthy fleet (no incidents) must look like production traffic and must never cross a default threshold of
 * DESIGN.md by chance: these are the checks a detector's "no false alarm on healthy agents" rests on.
 */
class HealthyFleetTest {
    private static final long TEN_MINUTES = 600_000;
    private static final long FIFTEEN_MINUTES = 900_000;

    private static SimulationConfig config;
    private static FleetSimulator simulator;
    private static List<AgentEvent> events;
    private static List<AgentEvent> work;
    private static Map<String, List<AgentEvent>> byAgent;
    private static Map<String, List<AgentEvent>> workByAgent;
    private static Map<String, List<AgentEvent>> traces;
    private static final java.util.regex.Pattern TRACE_ID = java.util.regex.Pattern.compile("[0-9a-f]{32}");
    private static final java.util.regex.Pattern SPAN_ID = java.util.regex.Pattern.compile("[0-9a-f]{16}");

    @BeforeAll
    static void simulate() {
        config = Simulations.healthy(42);
        simulator = new FleetSimulator(config);
        events = new ArrayList<>();
        simulator.forEach(events::add);
        work = events.stream().filter(e -> e.getOperation() != Operation.HEARTBEAT).toList();
        byAgent = Simulations.byAgent(events);
        workByAgent = Simulations.byAgent(work);
        traces = Simulations.byTrace(work);
    }

    @Test
    void shouldEmitTheConfiguredRateInEventTimeOrderWithinTheDuration() {
        double seconds = config.duration().toMillis() / 1000.0;
        assertThat(events.size() / seconds).isBetween(config.eventsPerSecond() * 0.9, config.eventsPerSecond() * 1.1);
        for (int i = 1; i < events.size(); i++) {
            assertThat(ms(events.get(i))).isGreaterThanOrEqualTo(ms(events.get(i - 1)));
        }
        assertThat(ms(events.get(0))).isGreaterThanOrEqualTo(config.startMs());
        assertThat(ms(events.get(events.size() - 1))).isLessThan(config.endMs());
    }

    @Test
    void shouldKeepTheErrorRateNearAThirdOfAPercentAndEveryTenMinuteWindowAtOrBelowFivePercent() {
        long errors = work.stream().filter(Simulations::isError).count();
        assertThat((double) errors / work.size()).isBetween(0.001, 0.006);

        for (List<AgentEvent> agentEvents : workByAgent.values()) {
            // every window ending at an event, over the events of the last 10 minutes, as AgentErrorRateHigh counts them
            int from = 0;
            int errorsInWindow = 0;
            for (int to = 0; to < agentEvents.size(); to++) {
                if (isError(agentEvents.get(to))) {
                    errorsInWindow++;
                }
                while (ms(agentEvents.get(from)) <= ms(agentEvents.get(to)) - TEN_MINUTES) {
                    if (isError(agentEvents.get(from))) {
                        errorsInWindow--;
                    }
                    from++;
                }
                int n = to - from + 1;
                if (n >= 20) {
                    assertThat((double) errorsInWindow / n).as("error rate of %s", agentEvents.get(to).getAgentId()).isLessThanOrEqualTo(0.05);
                }
            }
        }
    }

    @Test
    void shouldLetAtLeastNinetyFivePercentOfRunsSucceedInEveryFifteenMinuteWindow() {
        List<AgentEvent> runs = work.stream().filter(Simulations::isRun).toList();
        long succeeded = runs.stream().filter(e -> e.getOutcome() == Outcome.SUCCEEDED).count();
        assertThat((double) succeeded / runs.size()).isBetween(0.98, 0.998);
        assertThat(runs).extracting(AgentEvent::getOutcome).contains(Outcome.FAILED, Outcome.ESCALATED, Outcome.MANUAL_RESCUE);

        for (List<AgentEvent> agentRuns : Simulations.byAgent(runs).values()) {
            int from = 0;
            int bad = 0;
            for (int to = 0; to < agentRuns.size(); to++) {
                if (agentRuns.get(to).getOutcome() != Outcome.SUCCEEDED) {
                    bad++;
                }
                while (ms(agentRuns.get(from)) <= ms(agentRuns.get(to)) - FIFTEEN_MINUTES) {
                    if (agentRuns.get(from).getOutcome() != Outcome.SUCCEEDED) {
                        bad--;
                    }
                    from++;
                }
                int n = to - from + 1;
                if (n >= 20) {
                    assertThat(1 - (double) bad / n).isGreaterThanOrEqualTo(0.95);
                }
            }
        }
    }

    @Test
    void shouldNeverRepeatAToolCallThreeTimesInASessionNorRetryMoreThanOnce() {
        for (List<AgentEvent> session : Simulations.bySession(work).values()) {
            Map<String, Integer> calls = new HashMap<>();
            for (AgentEvent e : session) {
                if (e.getOperation() == Operation.EXECUTE_TOOL) {
                    calls.merge(e.getToolName() + "/" + e.getToolArgsHash(), 1, Integer::sum);
                }
            }
            assertThat(calls.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
        }
        assertThat(work.stream().mapToInt(e -> e.getRetryCount() == null ? 0 : e.getRetryCount()).max().orElseThrow()).isEqualTo(1);
    }

    @Test
    void shouldStopRunsWellBelowTheirIterationLimit() {
        assertThat(work.stream().filter(e -> e.getIteration() > e.getMaxIterations() - 4).count()).isZero();
    }

    @Test
    void shouldNeverTimeOutOneToolThreeTimesInARowForAnAgent() {
        int longest = 0;
        for (List<AgentEvent> agentEvents : workByAgent.values()) {
            Map<String, Integer> streak = new HashMap<>();
            for (AgentEvent e : agentEvents) {
                if (e.getOperation() == Operation.EXECUTE_TOOL) {
                    int n = e.getStatus() == Status.TIMEOUT ? streak.getOrDefault(e.getToolName(), 0) + 1 : 0;
                    streak.put(e.getToolName(), n);
                    longest = Math.max(longest, n);
                }
            }
        }
        assertThat(longest).isBetween(1, 2);
    }

    @Test
    void shouldHeartbeatEveryAgentSoThatNoneIsEverSilentForLongerThanTheInterval() {
        long interval = config.heartbeatInterval().toMillis();
        assertThat(byAgent).hasSize(config.agents());
        for (List<AgentEvent> agentEvents : byAgent.values()) {
            assertThat(agentEvents.stream().anyMatch(e -> e.getOperation() == Operation.HEARTBEAT)).isTrue();
            long previous = config.startMs();
            long longestGap = 0;
            for (AgentEvent e : agentEvents) {
                longestGap = Math.max(longestGap, ms(e) - previous);
                previous = ms(e);
            }
            longestGap = Math.max(longestGap, config.endMs() - previous);
            assertThat(longestGap).as("longest silence of %s", agentEvents.get(0).getAgentId()).isLessThanOrEqualTo(interval);
        }
    }

    @Test
    void shouldProduceManyShortSessions() {
        Map<String, List<AgentEvent>> sessions = Simulations.bySession(work);
        // sessions that the end of the simulation cut short are left out of the size checks
        List<List<AgentEvent>> whole = sessions.values().stream().filter(s -> ms(s.get(0)) < config.endMs() - 120_000).toList();
        // >= 1 M distinct sessions in a 10 M-event benchmark run needs one session per 10 events at most
        assertThat((double) sessions.size() / events.size()).isGreaterThan(0.12);
        List<Integer> sizes = whole.stream().map(List::size).sorted().toList();
        assertThat(sizes.get(0)).isGreaterThanOrEqualTo(3);
        assertThat(sizes.get(sizes.size() / 2)).isBetween(4, 10);
        assertThat(sizes.get(sizes.size() * 99 / 100)).isLessThanOrEqualTo(25);
        assertThat(sessions.values()).anySatisfy(s -> assertThat(s.stream().map(AgentEvent::getTraceId).distinct().count()).isEqualTo(2));
    }

    @Test
    void shouldLinkEverySpanToAParentInTheSameTrace() {
        int multiAgent = 0;
        for (List<AgentEvent> trace : traces.values()) {
            Set<String> spans = new HashSet<>();
            for (AgentEvent e : trace) {
                assertThat(TRACE_ID.matcher(e.getTraceId()).matches()).as(e.getTraceId()).isTrue();
                assertThat(SPAN_ID.matcher(e.getSpanId()).matches()).as(e.getSpanId()).isTrue();
                assertThat(spans.add(e.getSpanId())).as("span ids are unique").isTrue();
            }
            List<AgentEvent> roots = trace.stream().filter(e -> e.getParentSpanId() == null).toList();
            assertThat(roots).hasSize(1);
            assertThat(roots.get(0).getOperation()).isEqualTo(Operation.INVOKE_AGENT);
            for (AgentEvent e : trace) {
                if (e.getParentSpanId() != null && !spans.contains(e.getParentSpanId())) {
                    throw new AssertionError("parent span " + e.getParentSpanId() + " of " + e.getEventId() + " is not in trace " + e.getTraceId());
                }
            }
            Set<String> agents = new TreeSet<>();
            trace.forEach(e -> agents.add(e.getAgentId()));
            if (agents.size() > 1) {
                multiAgent++;
                // a sub-agent's run hangs under its caller's run span
                Map<String, AgentEvent> bySpan = new HashMap<>();
                trace.forEach(e -> bySpan.put(e.getSpanId(), e));
                for (AgentEvent e : trace) {
                    if (isRun(e) && e.getParentSpanId() != null) {
                        AgentEvent caller = bySpan.get(e.getParentSpanId());
                        assertThat(caller.getOperation()).isEqualTo(Operation.INVOKE_AGENT);
                        assertThat(caller.getAgentId()).isNotEqualTo(e.getAgentId());
                    }
                }
            }
        }
        assertThat(multiAgent).isGreaterThan(100);
        assertThat(traces.values()).anySatisfy(t -> assertThat(t.stream().map(AgentEvent::getAgentId).distinct().count()).isEqualTo(3));
    }

    @Test
    void shouldNeverHaveErrorsInMoreThanOneAgentOfATrace() {
        for (List<AgentEvent> trace : traces.values()) {
            assertThat(trace.stream().filter(Simulations::isError).map(AgentEvent::getAgentId).distinct().count()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldKeepEveryAgentsRunLatencyP95FarBelowThirtySeconds() {
        for (List<AgentEvent> agentEvents : workByAgent.values()) {
            List<Long> latencies = agentEvents.stream().filter(Simulations::isRun).map(AgentEvent::getLatencyMs).sorted().toList();
            assertThat(latencies.get((int) (latencies.size() * 0.95))).isLessThan(20_000);
            assertThat(latencies.get(latencies.size() - 1)).isLessThan(30_000);
        }
    }

    @Test
    void shouldPriceTokensByModelAndKeepRunsWithinFourTimesTheAgentsMean() {
        Map<String, ModelProfile> models = new HashMap<>();
        Catalog.MODELS.forEach(m -> models.put(m.name(), m));
        for (AgentEvent e : work) {
            if (e.getOperation() == Operation.CHAT || e.getOperation() == Operation.PLAN) {
                ModelProfile m = models.get(e.getModel());
                if (!m.provider().equals(e.getProvider()) || Math.abs(e.getCostUsd() - m.cost(e.getInputTokens(), e.getOutputTokens())) > 1e-6) {
                    throw new AssertionError("mispriced: " + e);
                }
            }
        }
        for (List<AgentEvent> agentEvents : workByAgent.values()) {
            List<Long> runTokens = agentEvents.stream().filter(Simulations::isRun).map(Simulations::tokens).toList();
            double mean = runTokens.stream().mapToLong(Long::longValue).average().orElseThrow();
            assertThat(runTokens.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThan((long) (4 * mean));
        }
        // a run event carries its own steps' totals
        for (List<AgentEvent> trace : traces.values()) {
            Map<String, Long> stepTokens = new HashMap<>();
            for (AgentEvent e : trace) {
                if (!isRun(e)) {
                    stepTokens.merge(e.getParentSpanId(), tokens(e), Long::sum);
                }
            }
            for (AgentEvent run : trace) {
                if (isRun(run) && ms(run) + run.getLatencyMs() < config.endMs()) {
                    assertThat(tokens(run)).isEqualTo(stepTokens.getOrDefault(run.getSpanId(), 0L));
                }
            }
        }
    }

    @Test
    void shouldSpreadTrafficOverAgentsWithSkewButNoStarvation() {
        List<Integer> counts = workByAgent.values().stream().map(List::size).sorted().toList();
        double median = counts.get(counts.size() / 2);
        assertThat(counts.get(0)).isGreaterThan((int) (median / 6));
        assertThat(counts.get(counts.size() - 1)).isLessThan((int) (median * 6));
        assertThat(counts.get(counts.size() - 1)).isGreaterThan((int) (median * 1.3));
    }

    @Test
    void shouldDescribeAgentsWithStableLowCardinalityFields() {
        Map<String, Set<String>> values = new HashMap<>();
        for (AgentEvent e : events) {
            e.getAttributes().forEach((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
        assertThat(values.keySet()).containsExactlyInAnyOrder("model_lane", "risk_class", "team");
        assertThat(values.values()).allSatisfy(v -> assertThat(v.size()).isLessThanOrEqualTo(10));
        for (AgentProfile agent : simulator.fleet().agents()) {
            assertThat(byAgent.get(agent.agentId()).stream().map(AgentEvent::getAgentVersion).distinct().toList()).containsExactly(agent.version());
        }
        assertThat(events.stream().map(AgentEvent::getModel).filter(java.util.Objects::nonNull).distinct().count()).isGreaterThanOrEqualTo(4);
        assertThat(events.stream().map(AgentEvent::getTenant).distinct().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldKeepTheHealthyConstantsWhereTheWindowArgumentsNeedThem() {
        // one error per 60 events at most: a window of 20..60 events holds at most one error, 5% at 20
        assertThat(RunConditions.MIN_EVENTS_BETWEEN_ERRORS).isGreaterThanOrEqualTo(20);
        assertThat(RunConditions.MIN_RUNS_BETWEEN_NON_SUCCESS).isGreaterThanOrEqualTo(20);
    }
}
