package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When one agent was last heard of (event time, and the wall clock when that event was processed) and its typical
 * gap between events, learned as an exponentially weighted moving average.
 */
final class Silence {
    long lastEvent;
    /** Wall clock when the agent's last event was processed; reset to the restart time after a restore. */
    long lastWall;
    double gapEwma;
    long gaps;
    AlertState[] alerts;
    String tenant;
    String workflow;

    boolean hasActiveAlert() {
        return SessionState.anyActive(alerts);
    }

    AlertState alert(int rule, int rules) {
        if (alerts == null) {
            alerts = new AlertState[rules];
        }
        if (alerts[rule] == null) {
            alerts[rule] = new AlertState();
        }
        return alerts[rule];
    }

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(lastEvent);
        out.doubleValue(gapEwma);
        out.varLong(gaps);
        out.optionalString(tenant);
        out.optionalString(workflow);
        int active = 0;
        for (int i = 0; alerts != null && i < alerts.length; i++) {
            if (alerts[i] != null && alerts[i].isActive()) {
                active++;
            }
        }
        out.varLong(active);
        for (int i = 0; active > 0 && i < alerts.length; i++) {
            if (alerts[i] != null && alerts[i].isActive()) {
                out.string(ruleIds.get(i));
                alerts[i].encode(out);
            }
        }
    }

    static Silence decode(byte[] bytes, List<String> ruleIds, long wallNow) {
        ByteReader in = new ByteReader(bytes);
        Silence s = new Silence();
        s.lastEvent = in.varLong();
        s.gapEwma = in.doubleValue();
        s.gaps = in.varLong();
        s.tenant = in.optionalString();
        s.workflow = in.optionalString();
        int active = in.varInt();
        for (int i = 0; i < active; i++) {
            String ruleId = in.string();
            AlertState state = AlertState.decode(in);
            int index = ruleIds.indexOf(ruleId);
            if (index >= 0) {
                s.alert(index, ruleIds.size());
                s.alerts[index] = state;
            }
        }
        s.lastWall = wallNow;
        return s;
    }

    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_event", Instant.ofEpochMilli(lastEvent).toString());
        m.put("typical_gap_ms", gaps == 0 ? null : Math.round(gapEwma));
        m.put("gaps_learned", gaps);
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
