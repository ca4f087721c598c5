package io.agentwatch.sink.testing;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertScope;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Severity;
import io.agentwatch.schema.SuggestedAction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Alerts for tests, with fixed times (no clock reads). */
public final class Alerts {
    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private Alerts() {
    }

    public static Alert.Builder firing(String fingerprint, String alertname, Severity severity, String agent) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alertname);
        labels.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
        if (agent != null) {
            labels.put("agent_id", agent);
        }
        labels.put("tenant", "acme");
        return Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes((fingerprint + "F").getBytes()).toString())
                .setFingerprint(fingerprint)
                .setRuleId(alertname.toLowerCase(java.util.Locale.ROOT))
                .setAlertname(alertname)
                .setStatus(AlertStatus.FIRING)
                .setSeverity(severity)
                .setScope(AlertScope.newBuilder().setTenant("acme").setAgentId(agent).setSessionId(null).setTraceId(null).build())
                .setStartsAt(T0)
                .setEndsAt(null)
                .setWindowStart(T0.minusSeconds(600))
                .setWindowEnd(T0)
                .setValue(0.12)
                .setThreshold(0.05)
                .setBaseline(null)
                .setSummary(alertname + " on " + agent + ": error rate 12% over 10m (threshold 5%)")
                .setDescription("errors/events over the last 10 minutes")
                .setLabels(labels)
                .setEvidenceTraceIds(List.of("trace-1", "trace-2"))
                .setRootCauseAgentId(null)
                .setSuggestedAction(SuggestedAction.NONE);
    }

    public static Alert resolvedOf(Alert firing, Instant endsAt) {
        return Alert.newBuilder(firing)
                .setAlertId(UUID.nameUUIDFromBytes((firing.getFingerprint() + "R").getBytes()).toString())
                .setStatus(AlertStatus.RESOLVED)
                .setEndsAt(endsAt)
                .build();
    }

    public static Alert withLabel(Alert a, String key, String value) {
        Map<String, String> labels = new LinkedHashMap<>(a.getLabels());
        labels.put(key, value);
        return Alert.newBuilder(a).setLabels(labels).build();
    }
}
