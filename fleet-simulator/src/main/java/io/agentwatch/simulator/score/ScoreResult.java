package io.agentwatch.simulator.score;

import io.agentwatch.schema.Alert;
import io.agentwatch.simulator.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of scoring alerts against the ground truth: one {@link IncidentScore} per incident, one
 * {@link ScoreRow} per alertname plus a total, the alerts that were false alarms or tolerated (one per fingerprint),
 * and every FIRING record with its verdict. {@link #render()}
 * gives the table the score command and the demo print.
 *
 * <p>Time to detect is the alert's {@code starts_at} minus the incident's {@code start_ms}: both event time, so
 * the figure means the same whether the fleet ran in real time or as fast as possible.
 */
public record ScoreResult(List<IncidentScore> incidents, List<ScoreRow> rows, ScoreRow total, List<Alert> falseAlarms,
                          List<Alert> tolerated, List<ScoredAlert> alerts, Duration tolerance) {

    public ScoreResult {
        incidents = List.copyOf(incidents);
        rows = List.copyOf(rows);
        falseAlarms = List.copyOf(falseAlarms);
        tolerated = List.copyOf(tolerated);
        alerts = List.copyOf(alerts);
    }

    public boolean allDetected() {
        return total.missed() == 0;
    }

    /** Every incident detected and no false alarm. */
    public boolean perfect() {
        return allDetected() && falseAlarms.isEmpty();
    }

    /** The table, the missed incidents and the false alarms, as lines of text. */
    public String render() {
        StringBuilder b = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-28s %9s %9s %7s %13s %13s %11s %9s%n", "alertname", "incidents", "detected", "missed",
                "false alarms", "side effects", "ttd median", "ttd max");
        b.append(header);
        for (ScoreRow row : rows) {
            line(b, row);
        }
        b.append("-".repeat(header.length() - 1)).append('\n');
        line(b, total);
        b.append(String.format(Locale.ROOT, "time to detect = alert starts_at - incident start (event time); window = incident start .. end + %s%n",
                Durations.format(tolerance)));
        for (IncidentScore s : incidents) {
            if (!s.detected()) {
                b.append(String.format(Locale.ROOT, "MISSED  %s on %s (expected %s)%n", s.incident().incidentId(), s.incident().agentId(),
                        String.join(" or ", s.incident().expectedAlertnames())));
            }
        }
        for (Alert a : falseAlarms) {
            b.append(String.format(Locale.ROOT, "FALSE   %s %s starts_at %s fingerprint %s%n", a.getAlertname(), scope(a), a.getStartsAt(),
                    a.getFingerprint()));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, ScoreRow r) {
        b.append(String.format(Locale.ROOT, "%-28s %9d %9d %7d %13d %13d %11s %9s%n", r.alertname(), r.incidents(), r.detected(), r.missed(),
                r.falseAlarms(), r.sideEffects(), duration(r.ttdMedian()), duration(r.ttdMax())));
    }

    /** Whole seconds (rounded), or milliseconds below a second; "-" for none. */
    static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = d.toMillis();
        if (Math.abs(ms) < 1000) {
            return ms + "ms";
        }
        return Durations.format(Duration.ofSeconds(Math.round(ms / 1000.0)));
    }

    static String scope(Alert a) {
        StringBuilder s = new StringBuilder();
        if (a.getScope().getAgentId() != null) {
            s.append("agent=").append(a.getScope().getAgentId());
        }
        if (a.getScope().getSessionId() != null) {
            s.append(s.length() > 0 ? " " : "").append("session=").append(a.getScope().getSessionId());
        }
        if (a.getScope().getTraceId() != null) {
            s.append(s.length() > 0 ? " " : "").append("trace=").append(a.getScope().getTraceId());
        }
        return s.length() == 0 ? "(no scope)" : s.toString();
    }
}
