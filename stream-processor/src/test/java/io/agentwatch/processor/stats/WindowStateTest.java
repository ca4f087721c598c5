package io.agentwatch.processor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.rules.WindowMetric;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowStateTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_790_000_000_000L / MINUTE * MINUTE;
    private static final int[] WINDOWS = {1, 5, 10, 15};

    private record Applied(long timestamp, AgentEvent event) {
    }

    @Test
    void shouldKeepEveryWindowAggregateEqualToTheSumOfItsPanesThroughRollsLateEventsAndReloads() {
        SplittableRandom random = new SplittableRandom(11);
        InMemoryPaneStore store = new InMemoryPaneStore();
        List<Long> sealed = new ArrayList<>();
        WindowState.SealListener listener = (scope, start, pane) -> sealed.add(start);
        WindowState state = WindowState.empty(MINUTE, WINDOWS, T0);
        List<Applied> applied = new ArrayList<>();
        Contribution c = new Contribution();
        long now = T0;

        for (int i = 0; i < 20_000; i++) {
            now += random.nextLong(0, 400) * (random.nextInt(500) == 0 ? 200 : 1);
            long ts = random.nextInt(10) == 0 ? now - random.nextLong(0, 2 * MINUTE) : now;
            AgentEvent event = event(random, ts);
            c.of(event);
            if (state.add(ts, c, "a", store, listener)) {
                applied.add(new Applied(ts, event));
            }
            if (random.nextInt(2_000) == 0) {
                state.flush("a", store);
                state = WindowState.rebuild("a", MINUTE, WINDOWS, state.paneStartOf(now), state.paneStartOf(now), store);
            }
            if (i % 97 == 0) {
                assertWindowsMatch(state, applied);
            }
        }
        assertThat(applied.size()).as("most events applied, some too late").isBetween(17_000, 19_999);
        assertThat(sealed).isSortedAccordingTo(Long::compare);
    }

    @Test
    void shouldRebuildEveryPaneALaterEventRollsOutWhenReloadedAfterAQuietSpell() {
        SplittableRandom random = new SplittableRandom(5);
        InMemoryPaneStore store = new InMemoryPaneStore();
        WindowState state = WindowState.empty(MINUTE, WINDOWS, T0);
        List<Applied> applied = new ArrayList<>();
        Contribution c = new Contribution();
        for (int minute = 0; minute <= 30; minute++) {
            long ts = T0 + minute * MINUTE + 1_000;
            AgentEvent event = event(random, ts);
            c.of(event);
            assertThat(state.add(ts, c, "a", store, (s, p, pane) -> { })).isTrue();
            applied.add(new Applied(ts, event));
        }
        state.flush("a", store);

        // given the live state is gone (evicted, or the task moved) and the agent's next event comes three minutes later
        long next = T0 + 33 * MINUTE + 1_000;
        WindowState reloaded = WindowState.rebuild("a", MINUTE, WINDOWS, reloaded(next), reloaded(next), store);
        AgentEvent event = event(random, next);
        c.of(event);

        // when it is added, the reloaded windows roll forward over the quiet minutes
        assertThat(reloaded.add(next, c, "a", store, (s, p, pane) -> { })).isTrue();
        applied.add(new Applied(next, event));

        // then every window holds exactly its panes, as if the state had never left memory
        assertWindowsMatch(reloaded, applied);
    }

    @Test
    void shouldRebuildAtTheLatestStoredPaneWhenLoadedForAnOlderMoment() {
        SplittableRandom random = new SplittableRandom(7);
        InMemoryPaneStore store = new InMemoryPaneStore();
        WindowState state = WindowState.empty(MINUTE, WINDOWS, T0);
        List<Applied> applied = new ArrayList<>();
        Contribution c = new Contribution();
        for (long ts = T0 + 1_000; ts < T0 + 12 * MINUTE + 20_000; ts += 5_000) {
            AgentEvent event = event(random, ts);
            c.of(event);
            assertThat(state.add(ts, c, "a", store, (s, p, pane) -> { })).isTrue();
            applied.add(new Applied(ts, event));
        }
        state.flush("a", store);

        // given the state is loaded for an evaluation point 30 seconds behind stream time, in the pane before the latest
        long streamTime = T0 + 12 * MINUTE + 15_000;
        WindowState reloaded = WindowState.rebuild("a", MINUTE, WINDOWS, reloaded(streamTime - 30_000), reloaded(streamTime), store);

        // then it is the state as it left memory: at the latest pane, every window with its events
        assertThat(reloaded.currentStart()).isEqualTo(T0 + 12 * MINUTE);
        assertWindowsMatch(reloaded, applied);

        // and the next event of the latest pane is added to it, not to a fresh pane that would drop the stored ones
        long next = T0 + 12 * MINUTE + 25_000;
        AgentEvent event = event(random, next);
        c.of(event);
        assertThat(reloaded.add(next, c, "a", store, (s, p, pane) -> { })).isTrue();
        applied.add(new Applied(next, event));
        assertWindowsMatch(reloaded, applied);
    }

    private static long reloaded(long timestamp) {
        return Math.floorDiv(timestamp, MINUTE) * MINUTE;
    }

    @Test
    void shouldRefuseAnEventOlderThanThePreviousPane() {
        InMemoryPaneStore store = new InMemoryPaneStore();
        WindowState state = WindowState.empty(MINUTE, WINDOWS, T0);
        Contribution c = new Contribution();
        c.of(event(new SplittableRandom(1), T0));

        assertThat(state.add(T0 + 2 * MINUTE, c, "a", store, (s, p, pane) -> { })).isTrue();
        assertThat(state.add(T0 + MINUTE + 5, c, "a", store, (s, p, pane) -> { })).as("previous pane, within grace").isTrue();
        assertThat(state.add(T0 + 5, c, "a", store, (s, p, pane) -> { })).as("two panes old").isFalse();
    }

    @Test
    void shouldForgetEverythingAfterBeingIdleLongerThanTheLongestWindow() {
        InMemoryPaneStore store = new InMemoryPaneStore();
        WindowState state = WindowState.empty(MINUTE, WINDOWS, T0);
        Contribution c = new Contribution();
        c.of(event(new SplittableRandom(2), T0));
        state.add(T0, c, "a", store, (s, p, pane) -> { });

        state.rollTo(T0 + 60 * MINUTE, "a", store, (s, p, pane) -> { });

        for (int w : WINDOWS) {
            assertThat(state.window(w).events()).isZero();
        }
    }

    private static void assertWindowsMatch(WindowState state, List<Applied> applied) {
        long current = state.currentStart();
        for (int w : WINDOWS) {
            Pane expected = new Pane();
            Contribution c = new Contribution();
            for (Applied a : applied) {
                long start = state.paneStartOf(a.timestamp);
                if (start <= current && start > current - (long) w * MINUTE) {
                    c.of(a.event);
                    expected.add(c);
                }
            }
            Pane actual = state.window(w);
            for (WindowMetric m : WindowMetric.values()) {
                double e = expected.metric(m);
                double a = actual.metric(m);
                if (Double.isNaN(e)) {
                    assertThat(a).as("%s over %dm", m, w).isNaN();
                } else {
                    assertThat(a).as("%s over %dm", m, w).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(e))));
                }
            }
        }
    }

    private static AgentEvent event(SplittableRandom r, long ts) {
        boolean run = r.nextInt(8) == 0;
        return AgentEvent.newBuilder()
                .setEventId("e").setAgentId("a").setTimestamp(Instant.ofEpochMilli(ts))
                .setOperation(run ? Operation.INVOKE_AGENT : (r.nextBoolean() ? Operation.CHAT : Operation.EXECUTE_TOOL))
                .setStatus(r.nextInt(20) == 0 ? Status.ERROR : (r.nextInt(50) == 0 ? Status.TIMEOUT : Status.OK))
                .setLatencyMs(r.nextLong(1, 60_000))
                .setInputTokens(r.nextBoolean() ? r.nextLong(0, 3000) : null)
                .setOutputTokens(r.nextLong(0, 800))
                .setCostUsd(r.nextDouble() / 100)
                .setOutcome(run ? Outcome.values()[r.nextInt(Outcome.values().length)] : null)
                .setConfidence(r.nextBoolean() ? r.nextDouble() : null)
                .build();
    }
}
