package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared bits of the detectors' query views (JSON-ready maps). */
final class DetectorViews {
    private DetectorViews() {
    }

    static List<Map<String, Object>> activeAlerts(AlertState[] alerts, List<String> ruleIds) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (alerts != null) {
            for (int i = 0; i < alerts.length; i++) {
                if (alerts[i] != null && alerts[i].isActive()) {
                    out.add(alert(ruleIds.get(i), alerts[i]));
                }
            }
        }
        return out;
    }

    static Map<String, Object> alert(String ruleId, AlertState state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_id", ruleId);
        m.put("phase", state.phase().name());
        m.put("since", Instant.ofEpochMilli(state.activeSince()).toString());
        if (state.causedBy() != null) {
            m.put("caused_by", state.causedBy());
        }
        return m;
    }

    static double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? -1 : v;
    }
}
