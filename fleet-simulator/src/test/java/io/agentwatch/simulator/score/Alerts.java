package io.agentwatch.simulator.score;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertScope;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Severity;
import io.agentwatch.schema.SuggestedAction;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds Alert records for tests, fluently. */
final class Alerts {
    private final Alert.Builder b = Alert.newBuilder();
    private final Map<String, String> labels = new HashMap<>();
    private final AlertScope scope = new AlertScope(null, null, null, null);
    private static int ids;

    private Alerts(String alertname, long startsAt) {
        b.setAlertId("alert-" + ++ids).setFingerprint("fp-" + alertname).setRuleId(alertname.toLowerCase())
                .setAlertname(alertname).setStatus(AlertStatus.FIRING).setSeverity(Severity.WARNING)
                .setStartsAt(Instant.ofEpochMilli(startsAt)).setSummary(alertname).setDescription("")
                .setEvidenceTraceIds(List.of()).setSuggestedAction(SuggestedAction.NONE);
    }

    static Alerts firing(String alertname, long startsAt) {
        return new Alerts(alertname, startsAt);
    }

    Alerts agent(String agent) {
        scope.setAgentId(agent);
        return this;
    }

    Alerts session(String session) {
        scope.setSessionId(session);
        return this;
    }

    Alerts trace(String trace) {
        scope.setTraceId(trace);
        return this;
    }

    Alerts rootCause(String agent) {
        b.setRootCauseAgentId(agent);
        return this;
    }

    Alerts fingerprint(String fp) {
        b.setFingerprint(fp);
        return this;
    }

    Alerts resolved() {
        b.setStatus(AlertStatus.RESOLVED);
        return this;
    }

    Alerts causedBy(String fingerprint) {
        labels.put(Scorer.CAUSED_BY, fingerprint);
        return this;
    }

    Alert build() {
        return b.setScope(scope).setLabels(labels).build();
    }
}
