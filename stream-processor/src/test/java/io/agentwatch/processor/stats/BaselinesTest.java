package io.agentwatch.processor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentwatch.processor.rules.BaselineMetric;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    private static final long MINUTE = 60_000;
    private static final double ALPHA = Baselines.alpha(30);

    @Test
    void shouldStartAsThePlainMeanOfItsFirstPanesInsteadOfKeepingMostOfTheFirstOne() {
        // a first pane with a few quick steps (a partial minute), then panes whose p95 is 1,000 ms: a plain EWMA
        // started at the first sample kept ~80% of it after ten panes (the baseline read ~55% of the agent's p95,
        // and healthy agents then looked 1.8x slower than usual)
        Baselines baselines = new Baselines();
        baselines.learn(0, pane(5, 200), ALPHA);
        for (int i = 1; i < 10; i++) {
            baselines.learn(i * MINUTE, pane(60, 1_000), ALPHA);
        }

        double p95 = baselines.get(BaselineMetric.LATENCY_P95, 10);

        double mean = (200 + 9 * 1_000) / 10.0;
        assertThat(p95).isCloseTo(mean, within(mean * 0.03));
    }

    @Test
    void shouldBecomeAMovingAverageWithItsHalfLifeOnceWarm() {
        Baselines baselines = new Baselines();
        long t = 0;
        for (int i = 0; i < 200; i++) {
            baselines.learn(t, pane(60, 1_000), ALPHA);
            t += MINUTE;
        }
        // after a step from 1,000 to 2,000 ms, one half-life (30 panes) moves the average half the way
        for (int i = 0; i < 30; i++) {
            baselines.learn(t, pane(60, 2_000), ALPHA);
            t += MINUTE;
        }

        assertThat(baselines.get(BaselineMetric.LATENCY_P95, 10)).isCloseTo(1_500, within(1_500 * 0.03));
    }

    @Test
    void shouldReadNaNUntilWarmAndLearnEachPaneOnce() {
        Baselines baselines = new Baselines();
        for (int i = 0; i < 9; i++) {
            assertThat(baselines.learn(i * MINUTE, pane(60, 1_000), ALPHA)).isTrue();
        }
        assertThat(baselines.learn(3 * MINUTE, pane(60, 5_000), ALPHA)).as("a replayed pane").isFalse();

        assertThat(baselines.get(BaselineMetric.LATENCY_P95, 10)).isNaN();
        baselines.learn(9 * MINUTE, pane(60, 1_000), ALPHA);
        assertThat(baselines.get(BaselineMetric.LATENCY_P95, 10)).isCloseTo(1_000, within(1_000 * 0.02));
    }

    /** A pane of {@code steps} successful chat steps, all of {@code latencyMs}. */
    private static Pane pane(int steps, long latencyMs) {
        Pane pane = new Pane();
        Contribution c = new Contribution();
        c.of(AgentEvent.newBuilder().setEventId("e").setAgentId("a").setTimestamp(Instant.EPOCH).setOperation(Operation.CHAT)
                .setStatus(Status.OK).setLatencyMs(latencyMs).setInputTokens(100L).setOutputTokens(50L).build());
        for (int i = 0; i < steps; i++) {
            pane.add(c);
        }
        return pane;
    }
}
