package io.agentwatch.simulator.score;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.simulator.truth.GroundTruth;
import io.agentwatch.simulator.truth.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares alerts with the ground truth; a pure function, so that every rule below has a unit test.
 *
 * <ul>
 *   <li>An incident is <b>detected</b> when a FIRING alert has one of its expected alertnames, a scope that matches
 *       (the agent; the session for session incidents; the trace, or the root-cause agent, for a cascade) and a
 *       {@code starts_at} between the incident's start and its end plus the tolerance. The earliest such alert
 *       counts; its {@code starts_at} minus the incident's start is the time to detect.</li>
 *   <li>A FIRING alert that detects nothing is a <b>side effect</b> when its alertname is one the incident lists as
 *       a side effect, on one of the incident's agents, inside the same window; it is <b>caused by a cascade</b>
 *       when its {@code caused_by} label is the fingerprint of an alert that detected a cascade; otherwise it is a
 *       <b>false alarm</b>. False alarms and side effects are counted once per fingerprint (re-notifications of
 *       the same alert do not count again).</li>
 *   <li>RESOLVED records are ignored.</li>
 * </ul>
 */
public final class Scorer {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    public static final String CAUSED_BY = "caused_by";
    public static final String TOTAL = "TOTAL";

    private final Duration tolerance;

    public Scorer(Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        this.tolerance = tolerance;
    }

    public Scorer() {
        this(DEFAULT_TOLERANCE);
    }

    public ScoreResult score(List<GroundTruth> incidents, List<Alert> alerts) {
        long tol = tolerance.toMillis();
        List<Alert> firing = alerts.stream().filter(a -> a.getStatus() == AlertStatus.FIRING)
                .sorted(Comparator.comparing(Alert::getStartsAt)).toList();

        Map<Alert, AlertVerdict> verdicts = new IdentityHashMap<>();
        Set<String> cascadeDetections = new HashSet<>();
        List<IncidentScore> scores = new ArrayList<>();
        for (GroundTruth incident : incidents) {
            Alert first = null;
            for (Alert a : firing) {
                if (detects(a, incident, tol)) {
                    verdicts.put(a, AlertVerdict.DETECTION);
                    if (incident.scope() == Scope.TRACE) {
                        cascadeDetections.add(a.getFingerprint());
                    }
                    if (first == null) {
                        first = a;
                    }
                }
            }
            scores.add(first == null ? new IncidentScore(incident, null, null, null)
                    : new IncidentScore(incident, first.getAlertname(), first.getFingerprint(),
                    Duration.ofMillis(first.getStartsAt().toEpochMilli() - incident.startMs())));
        }
        for (Alert a : firing) {
            if (verdicts.containsKey(a)) {
                continue;
            }
            if (incidents.stream().anyMatch(i -> sideEffect(a, i, tol))) {
                verdicts.put(a, AlertVerdict.SIDE_EFFECT);
            } else if (a.getLabels() != null && cascadeDetections.contains(a.getLabels().get(CAUSED_BY))) {
                verdicts.put(a, AlertVerdict.CAUSED_BY_CASCADE);
            } else {
                verdicts.put(a, AlertVerdict.FALSE_ALARM);
            }
        }

        // one false alarm or side effect per fingerprint
        Map<String, Alert> falseAlarms = new LinkedHashMap<>();
        Map<String, Alert> tolerated = new LinkedHashMap<>();
        for (Alert a : firing) {
            AlertVerdict v = verdicts.get(a);
            if (v == AlertVerdict.FALSE_ALARM) {
                falseAlarms.putIfAbsent(a.getFingerprint(), a);
            } else if (v == AlertVerdict.SIDE_EFFECT || v == AlertVerdict.CAUSED_BY_CASCADE) {
                tolerated.putIfAbsent(a.getFingerprint(), a);
            }
        }

        List<ScoreRow> rows = rows(scores, falseAlarms.values(), tolerated.values());
        ScoreRow total = total(scores, falseAlarms.size(), tolerated.size());
        List<ScoredAlert> scored = firing.stream().map(a -> new ScoredAlert(a, verdicts.get(a))).toList();
        return new ScoreResult(scores, rows, total, List.copyOf(falseAlarms.values()), List.copyOf(tolerated.values()), scored, tolerance);
    }

    static boolean detects(Alert a, GroundTruth incident, long toleranceMs) {
        return incident.expectedAlertnames().contains(a.getAlertname())
                && incident.covers(a.getStartsAt().toEpochMilli(), toleranceMs)
                && scopeMatches(a, incident);
    }

    static boolean scopeMatches(Alert a, GroundTruth incident) {
        String agent = a.getScope().getAgentId();
        return switch (incident.scope()) {
            case AGENT -> incident.agentId().equals(agent);
            case SESSION -> incident.sessionId().equals(a.getScope().getSessionId()) && (agent == null || agent.equals(incident.agentId()));
            case TRACE -> (incident.traceId() != null && incident.traceId().equals(a.getScope().getTraceId()))
                    || (incident.rootCauseAgentId() != null && incident.rootCauseAgentId().equals(a.getRootCauseAgentId()));
        };
    }

    static boolean sideEffect(Alert a, GroundTruth incident, long toleranceMs) {
        return incident.sideEffectAlertnames().contains(a.getAlertname())
                && incident.involvedAgentIds().contains(a.getScope().getAgentId())
                && incident.covers(a.getStartsAt().toEpochMilli(), toleranceMs);
    }

    private static List<ScoreRow> rows(List<IncidentScore> scores, Collection<Alert> falseAlarms, Collection<Alert> tolerated) {
        Map<String, List<IncidentScore>> byRow = new TreeMap<>();
        for (IncidentScore s : scores) {
            byRow.computeIfAbsent(s.row(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Integer> falseByName = count(falseAlarms);
        Map<String, Integer> toleratedByName = count(tolerated);
        Set<String> names = new TreeSet<>(byRow.keySet());
        names.addAll(falseByName.keySet());
        names.addAll(toleratedByName.keySet());
        List<ScoreRow> rows = new ArrayList<>();
        for (String name : names) {
            List<IncidentScore> in = byRow.getOrDefault(name, List.of());
            rows.add(row(name, in, falseByName.getOrDefault(name, 0), toleratedByName.getOrDefault(name, 0)));
        }
        return rows;
    }

    private static ScoreRow total(List<IncidentScore> scores, int falseAlarms, int tolerated) {
        return row(TOTAL, scores, falseAlarms, tolerated);
    }

    private static ScoreRow row(String name, List<IncidentScore> scores, int falseAlarms, int tolerated) {
        List<Duration> ttd = scores.stream().filter(IncidentScore::detected).map(IncidentScore::timeToDetect).sorted().toList();
        int detected = ttd.size();
        return new ScoreRow(name, scores.size(), detected, scores.size() - detected, falseAlarms, tolerated, median(ttd),
                ttd.isEmpty() ? null : ttd.get(ttd.size() - 1));
    }

    static Duration median(List<Duration> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    private static Map<String, Integer> count(Collection<Alert> alerts) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Alert a : alerts) {
            counts.merge(Objects.requireNonNull(a.getAlertname()), 1, Integer::sum);
        }
        return counts;
    }
}
