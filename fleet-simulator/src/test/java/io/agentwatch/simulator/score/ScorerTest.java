package io.agentwatch.simulator.score;

import static io.agentwatch.simulator.score.Alerts.firing;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.Alert;
import io.agentwatch.simulator.truth.GroundTruth;
import io.agentwatch.simulator.truth.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final long MIN = 60_000;

    private final Scorer scorer = new Scorer(Duration.ofMinutes(5));

    private static GroundTruth agentIncident(String id, String kind, String agent, long start, long end, String... expected) {
        return new GroundTruth(id, kind, List.of(expected), agent, null, null, null, start, end, Scope.AGENT, null, null, Map.of());
    }

    private static final GroundTruth BURST = new GroundTruth("error_burst-1", "error_burst", List.of("AgentErrorRateHigh"), "agent-a",
            null, null, null, T0, T0 + 10 * MIN, Scope.AGENT, null, List.of("AgentSuccessRateLow"), Map.of());
    private static final GroundTruth LOOP = new GroundTruth("tool_loop-2", "tool_loop", List.of("AgentLoopDetected"), "agent-b",
            "session-1", "trace-1", null, T0, T0 + MIN, Scope.SESSION, null, null, Map.of());
    private static final GroundTruth CASCADE = new GroundTruth("cascade-3", "cascade", List.of("CascadeFailure"), "agent-c1",
            "session-9", "trace-9", "agent-c1", T0, T0 + MIN, Scope.TRACE, List.of("agent-c1", "agent-c2", "agent-c3"), null, Map.of());

    @Test
    void shouldDetectAnIncidentWithTheExpectedAlertOnItsAgentInsideTheWindow() {
        ScoreResult r = scorer.score(List.of(BURST), List.of(firing("AgentErrorRateHigh", T0 + 90_000).agent("agent-a").build()));

        assertThat(r.incidents().get(0).detected()).isTrue();
        assertThat(r.incidents().get(0).timeToDetect()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.total()).isEqualTo(new ScoreRow(Scorer.TOTAL, 1, 1, 0, 0, 0, Duration.ofSeconds(90), Duration.ofSeconds(90)));
        assertThat(r.perfect()).isTrue();
    }

    @Test
    void shouldMissAnIncidentWhenTheAlertHasTheWrongNameAgentOrTime() {
        List<Alert> wrong = List.of(
                firing("AgentLatencySpike", T0 + MIN).agent("agent-a").fingerprint("fp-1").build(),
                firing("AgentErrorRateHigh", T0 + MIN).agent("agent-z").fingerprint("fp-2").build(),
                firing("AgentErrorRateHigh", T0 - 1).agent("agent-a").fingerprint("fp-3").build(),
                firing("AgentErrorRateHigh", T0 + 15 * MIN + 1).agent("agent-a").fingerprint("fp-4").build(),
                firing("AgentErrorRateHigh", T0 + MIN).agent("agent-a").fingerprint("fp-5").resolved().build());

        ScoreResult r = scorer.score(List.of(BURST), wrong);

        assertThat(r.allDetected()).isFalse();
        assertThat(r.total().missed()).isEqualTo(1);
        assertThat(r.falseAlarms()).extracting(Alert::getFingerprint).containsExactly("fp-3", "fp-1", "fp-2", "fp-4");
        assertThat(r.render()).contains("MISSED  error_burst-1 on agent-a (expected AgentErrorRateHigh)")
                .contains("FALSE   AgentLatencySpike agent=agent-a");
    }

    @Test
    void shouldAcceptAnAlertUpToTheToleranceAfterTheEndAndNotOneMillisecondLater() {
        Alert justIn = firing("AgentErrorRateHigh", T0 + 15 * MIN).agent("agent-a").build();
        Alert justOut = firing("AgentErrorRateHigh", T0 + 15 * MIN + 1).agent("agent-a").build();

        assertThat(scorer.score(List.of(BURST), List.of(justIn)).allDetected()).isTrue();
        assertThat(scorer.score(List.of(BURST), List.of(justOut)).allDetected()).isFalse();
        assertThat(new Scorer(Duration.ofMinutes(6)).score(List.of(BURST), List.of(justOut)).allDetected()).isTrue();
    }

    @Test
    void shouldCountAFiringAlertOnAHealthyAgentAsAFalseAlarmOncePerFingerprint() {
        Alert first = firing("AgentLatencySpike", T0 + MIN).agent("healthy").fingerprint("fp-h").build();
        Alert renotified = firing("AgentLatencySpike", T0 + MIN).agent("healthy").fingerprint("fp-h").build();
        Alert other = firing("AgentSilent", T0 + 2 * MIN).agent("healthy-2").fingerprint("fp-s").build();

        ScoreResult r = scorer.score(List.of(BURST), List.of(first, renotified, other));

        assertThat(r.total().falseAlarms()).isEqualTo(2);
        assertThat(r.rows()).filteredOn(row -> row.alertname().equals("AgentLatencySpike")).singleElement()
                .satisfies(row -> assertThat(row.falseAlarms()).isEqualTo(1));
        assertThat(r.alerts()).extracting(ScoredAlert::verdict).containsOnly(AlertVerdict.FALSE_ALARM);
    }

    @Test
    void shouldTolerateASideEffectTheGroundTruthListsButNotAnUnlistedOne() {
        Alert listed = firing("AgentSuccessRateLow", T0 + 3 * MIN).agent("agent-a").build();
        Alert unlisted = firing("AgentTokenDrift", T0 + 3 * MIN).agent("agent-a").build();
        Alert detection = firing("AgentErrorRateHigh", T0 + 2 * MIN).agent("agent-a").build();

        ScoreResult r = scorer.score(List.of(BURST), List.of(listed, unlisted, detection));

        assertThat(r.tolerated()).containsExactly(listed);
        assertThat(r.falseAlarms()).containsExactly(unlisted);
        assertThat(r.total().sideEffects()).isEqualTo(1);
    }

    @Test
    void shouldRequireTheSessionForASessionIncident() {
        Alert otherSession = firing("AgentLoopDetected", T0 + 1_000).agent("agent-b").session("session-2").fingerprint("fp-x").build();
        Alert agentOnly = firing("AgentLoopDetected", T0 + 2_000).agent("agent-b").fingerprint("fp-y").build();
        Alert right = firing("AgentLoopDetected", T0 + 3_000).agent("agent-b").session("session-1").fingerprint("fp-z").build();

        assertThat(scorer.score(List.of(LOOP), List.of(otherSession, agentOnly)).allDetected()).isFalse();
        ScoreResult r = scorer.score(List.of(LOOP), List.of(otherSession, agentOnly, right));
        assertThat(r.incidents().get(0).fingerprint()).isEqualTo("fp-z");
        assertThat(r.incidents().get(0).timeToDetect()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldMatchACascadeByTraceOrByRootCauseAgent() {
        Alert byTrace = firing("CascadeFailure", T0 + 5_000).trace("trace-9").build();
        Alert byRoot = firing("CascadeFailure", T0 + 5_000).agent("agent-c1").rootCause("agent-c1").build();
        Alert wrongRoot = firing("CascadeFailure", T0 + 5_000).agent("agent-c2").rootCause("agent-c2").build();

        assertThat(scorer.score(List.of(CASCADE), List.of(byTrace)).allDetected()).isTrue();
        assertThat(scorer.score(List.of(CASCADE), List.of(byRoot)).allDetected()).isTrue();
        assertThat(scorer.score(List.of(CASCADE), List.of(wrongRoot)).allDetected()).isFalse();
    }

    @Test
    void shouldNotCountAlertsSuppressedByATrueCascadeAsFalseAlarms() {
        Alert root = firing("CascadeFailure", T0 + 5_000).trace("trace-9").rootCause("agent-c1").fingerprint("fp-cascade").build();
        Alert downstream = firing("AgentErrorRateHigh", T0 + 6_000).agent("agent-c2").fingerprint("fp-down").causedBy("fp-cascade").build();
        Alert orphan = firing("AgentErrorRateHigh", T0 + 6_000).agent("agent-q").fingerprint("fp-orphan").causedBy("fp-unknown").build();

        ScoreResult r = scorer.score(List.of(CASCADE), List.of(root, downstream, orphan));

        assertThat(r.alerts()).extracting(ScoredAlert::verdict)
                .containsExactly(AlertVerdict.DETECTION, AlertVerdict.CAUSED_BY_CASCADE, AlertVerdict.FALSE_ALARM);
        assertThat(r.falseAlarms()).containsExactly(orphan);
    }

    @Test
    void shouldDetectAnAnyOfIncidentByEitherNameAndCountItInTheRowOfTheEarliest() {
        GroundTruth latency = agentIncident("latency_regression-1", "latency_regression", "agent-l", T0, T0 + 10 * MIN,
                "AgentLatencyP95High", "AgentLatencySpike");
        Alert spike = firing("AgentLatencySpike", T0 + 2 * MIN).agent("agent-l").build();
        Alert p95 = firing("AgentLatencyP95High", T0 + 3 * MIN).agent("agent-l").build();

        ScoreResult r = scorer.score(List.of(latency), List.of(p95, spike));

        assertThat(r.incidents().get(0).detectedBy()).isEqualTo("AgentLatencySpike");
        assertThat(r.rows()).extracting(ScoreRow::alertname).containsExactly("AgentLatencySpike");
        assertThat(r.alerts()).extracting(ScoredAlert::verdict).containsOnly(AlertVerdict.DETECTION);
        // a miss counts in the row of its first expected name
        ScoreResult missed = scorer.score(List.of(latency), List.of());
        assertThat(missed.rows()).singleElement().satisfies(row -> {
            assertThat(row.alertname()).isEqualTo("AgentLatencyP95High");
            assertThat(row.missed()).isEqualTo(1);
        });
    }

    @Test
    void shouldGiveTheMedianAndMaximumTimeToDetectPerAlertname() {
        List<GroundTruth> bursts = List.of(
                agentIncident("e-1", "error_burst", "a1", T0, T0 + MIN, "AgentErrorRateHigh"),
                agentIncident("e-2", "error_burst", "a2", T0, T0 + MIN, "AgentErrorRateHigh"),
                agentIncident("e-3", "error_burst", "a3", T0, T0 + MIN, "AgentErrorRateHigh"),
                agentIncident("e-4", "error_burst", "a4", T0, T0 + MIN, "AgentErrorRateHigh"));
        List<Alert> alerts = List.of(
                firing("AgentErrorRateHigh", T0 + 10_000).agent("a1").fingerprint("1").build(),
                firing("AgentErrorRateHigh", T0 + 20_000).agent("a2").fingerprint("2").build(),
                firing("AgentErrorRateHigh", T0 + 60_000).agent("a3").fingerprint("3").build());

        ScoreResult r = scorer.score(bursts, alerts);

        assertThat(r.rows()).singleElement().isEqualTo(new ScoreRow("AgentErrorRateHigh", 4, 3, 1, 0, 0, Duration.ofSeconds(20), Duration.ofSeconds(60)));
        assertThat(Scorer.median(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20)))).isEqualTo(Duration.ofSeconds(15));
        assertThat(r.render()).containsPattern("AgentErrorRateHigh +4 +3 +1 +0 +0 +20s +1m");
    }

    @Test
    void shouldScoreNothingAsNothing() {
        ScoreResult r = scorer.score(List.of(), List.of());
        assertThat(r.total()).isEqualTo(new ScoreRow(Scorer.TOTAL, 0, 0, 0, 0, 0, null, null));
        assertThat(r.perfect()).isTrue();
        assertThat(ScoreResult.duration(Duration.ofMillis(1_499))).isEqualTo("1s");
        assertThat(ScoreResult.duration(Duration.ofMillis(750))).isEqualTo("750ms");
    }
}
