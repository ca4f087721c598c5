package io.agentwatch.sink.routing;

import io.agentwatch.schema.Alert;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The label set routes match on and receivers send: the alert's own labels, plus {@code alertname},
 * {@code severity} (lower case: critical, error, warning, info), {@code agent_id}, {@code tenant},
 * {@code session_id} and {@code trace_id} from the scope where the labels do not already have them.
 */
public final class AlertLabels {
    public static final String CAUSED_BY = "caused_by";
    public static final String AFFECTED_AGENTS = "affected_agents";

    private AlertLabels() {
    }

    public static Map<String, String> of(Alert alert) {
        Map<String, String> labels = new TreeMap<>();
        if (alert.getLabels() != null) {
            alert.getLabels().forEach((k, v) -> labels.put(k.toString(), v == null ? "" : v.toString()));
        }
        labels.put("alertname", alert.getAlertname());
        labels.put("severity", severity(alert));
        if (alert.getScope() != null) {
            putIfAbsent(labels, "agent_id", alert.getScope().getAgentId());
            putIfAbsent(labels, "tenant", alert.getScope().getTenant());
            putIfAbsent(labels, "session_id", alert.getScope().getSessionId());
            putIfAbsent(labels, "trace_id", alert.getScope().getTraceId());
        }
        return labels;
    }

    public static String severity(Alert alert) {
        return alert.getSeverity().name().toLowerCase(Locale.ROOT);
    }

    private static void putIfAbsent(Map<String, String> labels, String key, String value) {
        if (value != null && !value.isEmpty()) {
            labels.putIfAbsent(key, value);
        }
    }
}
