package io.agentwatch.sink.delivery;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.SuggestedAction;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How an alert reads to a human, shared by the receivers: annotations, value versus threshold, links. */
public final class AlertText {
    private final String publicUrl;

    /** @param publicUrl base URL of the sink's page, for links back to an alert */
    public AlertText(String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** The page showing this incident. */
    public String link(Alert alert) {
        return publicUrl + "/?fingerprint=" + URLEncoder.encode(alert.getFingerprint(), StandardCharsets.UTF_8);
    }

    public String publicUrl() {
        return publicUrl;
    }

    /** Alertmanager-style annotations: summary, description, value, threshold, baseline, root cause, action, traces. */
    public static Map<String, String> annotations(Alert a) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("summary", a.getSummary());
        if (a.getDescription() != null && !a.getDescription().isEmpty()) {
            out.put("description", a.getDescription());
        }
        if (a.getValue() != null) {
            out.put("value", number(a.getValue()));
        }
        if (a.getThreshold() != null) {
            out.put("threshold", number(a.getThreshold()));
        }
        if (a.getBaseline() != null) {
            out.put("baseline", number(a.getBaseline()));
        }
        if (a.getRootCauseAgentId() != null) {
            out.put("root_cause_agent_id", a.getRootCauseAgentId());
        }
        if (a.getSuggestedAction() != null && a.getSuggestedAction() != SuggestedAction.NONE) {
            out.put("suggested_action", a.getSuggestedAction().name());
        }
        if (a.getEvidenceTraceIds() != null && !a.getEvidenceTraceIds().isEmpty()) {
            out.put("evidence_trace_ids", String.join(",", a.getEvidenceTraceIds()));
        }
        out.put("rule_id", a.getRuleId());
        return out;
    }

    /** "0.12 (threshold 0.05, baseline 0.02)", or empty when the alert has no value. */
    public static String valueVsThreshold(Alert a) {
        if (a.getValue() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(number(a.getValue()));
        if (a.getThreshold() != null) {
            s.append(" (threshold ").append(number(a.getThreshold()));
            if (a.getBaseline() != null) {
                s.append(", baseline ").append(number(a.getBaseline()));
            }
            s.append(')');
        }
        return s.toString();
    }

    /** A number as a person writes it: up to 4 significant decimals, no trailing zeros. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    public static boolean firing(Alert a) {
        return a.getStatus() == AlertStatus.FIRING;
    }

    public static Instant startsAt(Alert a) {
        return a.getStartsAt();
    }

    /** The agent the alert is about, or its tenant, or "fleet". */
    public static String subject(Alert a) {
        if (a.getScope() != null && a.getScope().getAgentId() != null) {
            return a.getScope().getAgentId();
        }
        if (a.getScope() != null && a.getScope().getTenant() != null) {
            return a.getScope().getTenant();
        }
        return "fleet";
    }
}
