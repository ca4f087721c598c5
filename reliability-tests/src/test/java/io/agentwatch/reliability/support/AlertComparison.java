package io.agentwatch.reliability.support;

import io.agentwatch.schema.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A faulty run's alerts against the fault-free run's, record by record. An alert record is identified as DESIGN.md
 * defines it: its alert_id (derived from fingerprint, status and time), with the fingerprint, status and starts_at
 * that must come with it. Lost: in the fault-free run, not in the faulty one. Duplicated: a record the faulty run
 * holds more often than the fault-free one. Unexpected: a record the fault-free run never wrote.
 */
public record AlertComparison(int expected, int actual, int lost, int duplicated, int unexpected, List<String> examples,
                              Map<String, Integer> expectedByAlertname) {

    /** The identity of one alert record. */
    record Key(String alertId, String fingerprint, String status, long startsAt, String alertname) {
        static Key of(Alert a) {
            return new Key(a.getAlertId(), a.getFingerprint(), a.getStatus().name(), a.getStartsAt().toEpochMilli(), a.getAlertname());
        }

        @Override
        public String toString() {
            return alertname + " " + status + " fingerprint=" + fingerprint + " starts_at=" + java.time.Instant.ofEpochMilli(startsAt) + " alert_id=" + alertId;
        }
    }

    public static AlertComparison of(List<Alert> reference, List<Alert> faulty) {
        Map<Key, Integer> want = count(reference);
        Map<Key, Integer> got = count(faulty);
        int lost = 0;
        int duplicated = 0;
        int unexpected = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<Key, Integer> e : want.entrySet()) {
            int n = got.getOrDefault(e.getKey(), 0);
            if (n < e.getValue()) {
                lost += e.getValue() - n;
                example(examples, "LOST " + e.getKey());
            } else if (n > e.getValue()) {
                duplicated += n - e.getValue();
                example(examples, "DUPLICATED x" + n + " " + e.getKey());
            }
        }
        for (Map.Entry<Key, Integer> e : got.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                unexpected += e.getValue();
                example(examples, "UNEXPECTED " + e.getKey());
            }
        }
        Map<String, Integer> byName = new TreeMap<>();
        reference.forEach(a -> byName.merge(a.getAlertname() + "/" + a.getStatus(), 1, Integer::sum));
        return new AlertComparison(reference.size(), faulty.size(), lost, duplicated, unexpected, examples, byName);
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
