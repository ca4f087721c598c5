package io.agentwatch.processor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.processor.topology.TopologySettings;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scope is evaluated at points of its own event time, before the event that reaches the point is counted: how
 * the agents' streams interleave (partitions, producers that lag a little) does not change the alerts. This is what
 * lets a backtest reproduce the live processor.
 */
class EvaluationDeterminismTest {

    private static List<AgentEvent> traffic() {
        List<AgentEvent> events = new ArrayList<>();
        Traffic.Factory flaky = (a, t, n) -> n % 4 == 0 ? Events.error(a, t) : Events.step(a, t, e -> e.setLatencyMs(900L + n % 13 * 40));
        Traffic.Factory slow = (a, t, n) -> Events.step(a, t, e -> e.setLatencyMs(t > Traffic.minute(15) ? 4_000L : 1_000L + n % 7));
        collect(events, "flaky", 0, 30, 12, flaky);
        collect(events, "slow", 0, 30, 12, slow);
        collect(events, "steady", 0, 30, 12, (a, ts, n) -> Events.step(a, ts));
        return events;
    }

    private static void collect(List<AgentEvent> into, String agent, double from, double to, int perMinute, Traffic.Factory f) {
        long gap = 60_000 / perMinute;
        int n = 0;
        for (long ts = Traffic.minute(from) + Math.floorMod(agent.hashCode(), (int) gap); ts < Traffic.minute(to); ts += gap) {
            into.add(f.make(agent, ts, n++));
        }
    }

    private static List<String> run(List<AgentEvent> order) {
        try (TopologyFixture fixture = new TopologyFixture()) {
            order.forEach(fixture::send);
            return describe(fixture.alerts());
        }
    }

    /**
     * The alerts, whole (values, windows, descriptions with the windows' counts), in the order written; the error
     * rate alert repeats every minute while it fires, so every minute's window counts are compared.
     */
    private static List<String> run(List<AgentEvent> order, Function<TopologySettings, TopologySettings> tweak) {
        try (TopologyFixture fixture = new TopologyFixture(RulesFile.defaults(), tweak)) {
            fixture.override("agent-error-rate-high", AlertRule.newBuilder().setRuleId("agent-error-rate-high").setRepeatIntervalMs(60_000L).build());
            order.forEach(fixture::send);
            return fixture.alerts().stream().map(Alert::toString).toList();
        }
    }

    private static List<String> describe(List<Alert> alerts) {
        return alerts.stream()
                .map((Alert a) -> a.getAlertname() + " " + a.getFingerprint() + " " + a.getStatus() + " " + a.getStartsAt() + " "
                        + a.getEndsAt() + " " + a.getValue())
                .sorted().toList();
    }

    @Test
    void shouldRaiseTheSameAlertsWhateverTheInterleavingOfTheAgentsStreams() {
        List<AgentEvent> events = traffic();
        List<AgentEvent> inTimeOrder = new ArrayList<>(events);
        inTimeOrder.sort(Comparator.comparing(AgentEvent::getTimestamp));
        // the same events, "slow" arriving 20 seconds behind the others (within the grace period), per-agent order kept
        List<AgentEvent> skewed = new ArrayList<>(events);
        skewed.sort(Comparator.comparingLong(e -> e.getTimestamp().toEpochMilli() + (e.getAgentId().equals("slow") ? 20_000 : 0)));

        List<String> reference = run(inTimeOrder);

        assertThat(reference).as("the scenario raises alerts at all").isNotEmpty();
        assertThat(run(skewed)).isEqualTo(reference);
    }

    /**
     * A scope read back from the store (evicted from the live cache, or after a restart) must go on exactly as the
     * live one would. The tick loads the scopes with new events or active alerts at its point, behind stream time:
     * it must not rebuild their windows as of that older pane, or the scope's next event starts the newer pane
     * afresh, dropping the events already stored in it. Two agents sending in turn, one live scope: every tick
     * leaves one of them loaded by the tick when its next event comes.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void shouldCountTheSameEventsWhenScopesAreReadBackFromTheStore(int liveScopes) {
        List<AgentEvent> events = new ArrayList<>();
        Traffic.Factory flaky = (a, t, n) -> n % 4 == 0 ? Events.error(a, t) : Events.step(a, t);
        collect(events, "flaky-a", 0, 20, 30, flaky);
        collect(events, "flaky-b", 0, 20, 30, flaky);
        events.sort(Comparator.comparing(AgentEvent::getTimestamp));
        Function<TopologySettings, TopologySettings> fewLiveScopes = s -> s.withAgentRules(new AgentRulesSettings(s.agentRules().grace(),
                s.agentRules().evaluationInterval(), s.agentRules().windowMinutes(), liveScopes, s.agentRules().baselineWarmup(),
                s.agentRules().baselineHalfLife()));

        List<String> reference = run(events, s -> s);

        assertThat(reference).as("both agents' error rate alerts repeat every minute").hasSizeGreaterThan(30);
        assertThat(run(events, fewLiveScopes)).isEqualTo(reference);
    }
}
