package io.agentwatch.reliability.support;

import io.agentwatch.schema.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A faulty run's alerts against the fault-free run's, as the issue defines "the same alerts": the same
 * fingerprints and statuses, each as often. Per fingerprint and status, the n-th record of one run is paired with
 * the n-th of the other. Lost: a record of the fault-free run with no partner. Duplicated or unexpected: a record
 * of the faulty run with no partner (duplicated when its fingerprint and status are in the fault-free run,
 * unexpected when not). A paired record whose start time or alert_id differs is <em>retimed</em>: the same incident,
 * evaluated at another point (a window rule's idle evaluation runs on the task's stream time, which after a restart
 * can advance through the task's input partitions in another order). Retimed records are counted, their largest
 * shift is reported and each one beyond {@link #TOLERANCE} (an evaluation interval) is listed, but they are the
 * same alerts as the issue defines them. Known limitation (README): a window rule evaluated for an agent whose events
 * pause, and ReleaseRegression, run on the task's event-time tick over the state as it is when the tick runs, which
 * after a restart may hold a few more or fewer of the events past the tick's boundary (Kafka Streams checks
 * punctuations between batches), so their start can move by a few ticks (15 s seen). A shift beyond
 * {@link #MAX_SHIFT} would be another decision, not another evaluation point, and counts as a difference.
 */
public record AlertComparison(int expected, int actual, int lost, int duplicated, int unexpected, int retimed, long maxShiftMs,
                              List<String> examples, List<String> retimedExamples, Map<String, Integer> expectedByAlertname) {
    /** The evaluation interval of the window rules: a record retimed by more is listed. */
    public static final long TOLERANCE = 5_000;
    /** A record retimed by more than this is a difference. */
    public static final long MAX_SHIFT = 60_000;

    /** The identity of one alert record. */
    record Key(String alertId, String fingerprint, String status, long startsAt, String alertname) {
        static Key of(Alert a) {
            return new Key(a.getAlertId(), a.getFingerprint(), a.getStatus().name(), a.getStartsAt().toEpochMilli(), a.getAlertname());
        }

        String incident() {
            return fingerprint + "/" + status;
        }

        @Override
        public String toString() {
            return alertname + " " + status + " fingerprint=" + fingerprint + " starts_at=" + java.time.Instant.ofEpochMilli(startsAt) + " alert_id=" + alertId;
        }
    }

    public static AlertComparison of(List<Alert> reference, List<Alert> faulty) {
        Map<String, List<Key>> want = byIncident(reference);
        Map<String, List<Key>> got = byIncident(faulty);
        int lost = 0;
        int duplicated = 0;
        int unexpected = 0;
        int retimed = 0;
        long maxShift = 0;
        List<String> examples = new ArrayList<>();
        List<String> retimedExamples = new ArrayList<>();
        for (Map.Entry<String, List<Key>> e : want.entrySet()) {
            List<Key> w = e.getValue();
            List<Key> g = got.getOrDefault(e.getKey(), List.of());
            for (int i = 0; i < Math.max(w.size(), g.size()); i++) {
                if (i >= g.size()) {
                    lost++;
                    example(examples, "LOST " + w.get(i));
                } else if (i >= w.size()) {
                    duplicated++;
                    example(examples, "DUPLICATED " + g.get(i));
                } else if (!w.get(i).equals(g.get(i))) {
                    retimed++;
                    long shift = Math.abs(w.get(i).startsAt() - g.get(i).startsAt());
                    maxShift = Math.max(maxShift, shift);
                    if (shift > MAX_SHIFT) {
                        example(examples, "RETIMED by " + shift + " ms: " + w.get(i) + " -> " + g.get(i));
                    } else if (shift > TOLERANCE) {
                        example(retimedExamples, "RETIMED by " + shift + " ms: " + w.get(i) + " -> " + g.get(i));
                    }
                }
            }
        }
        for (Map.Entry<String, List<Key>> e : got.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                unexpected += e.getValue().size();
                e.getValue().forEach(k -> example(examples, "UNEXPECTED " + k));
            }
        }
        Map<String, Integer> byName = new TreeMap<>();
        reference.forEach(a -> byName.merge(a.getAlertname() + "/" + a.getStatus(), 1, Integer::sum));
        return new AlertComparison(reference.size(), faulty.size(), lost, duplicated, unexpected, retimed, maxShift, examples, retimedExamples, byName);
    }

    private static Map<String, List<Key>> byIncident(List<Alert> alerts) {
        Map<String, List<Key>> m = new LinkedHashMap<>();
        alerts.forEach(a -> m.computeIfAbsent(Key.of(a).incident(), k -> new ArrayList<>()).add(Key.of(a)));
        return m;
    }

    /** How often the reference itself holds a record more than once (it must not: dedup by fingerprint). */
    public static int duplicatesWithin(List<Alert> alerts) {
        return count(alerts).values().stream().mapToInt(n -> n - 1).sum();
    }

    public boolean identical() {
        return lost == 0 && duplicated == 0 && unexpected == 0;
    }

    private static Map<Key, Integer> count(List<Alert> alerts) {
        Map<Key, Integer> m = new LinkedHashMap<>();
        alerts.forEach(a -> m.merge(Key.of(a), 1, Integer::sum));
        return m;
    }

    private static void example(List<String> examples, String line) {
        if (examples.size() < 20) {
            examples.add(line);
        }
    }
}
