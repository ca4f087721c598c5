package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one session of one agent has used over its whole life: tokens and cost of its steps, first and last time it
 * used any, and the budget alerts it has raised. Layout: last-seen first (the expiry sweep reads only that), then
 * deltas and totals as varints, the cost as a double, and the alert section only when an alert was raised. About
 * 20 bytes for a session without alerts.
 */
final class SessionBudget extends SessionStateDetector.SessionState {
    long firstSeen;
    long tokens;
    double cost;
    /** By rule index of the detector; null until a rule fires for this session. */
    AlertState[] alerts;
    String tenant;
    String workflow;

    SessionBudget() {
    }

    SessionBudget(long ts) {
        firstSeen = ts;
        lastSeen = ts;
    }

    void add(long ts, long addTokens, double addCost) {
        lastSeen = Math.max(lastSeen, ts);
        firstSeen = Math.min(firstSeen, ts);
        tokens += addTokens;
        cost += addCost;
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

    @Override
    boolean hasActiveAlert() {
        if (alerts != null) {
            for (AlertState a : alerts) {
                if (a != null && a.isActive()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads only the last-seen time of a stored session (the sweep's question). */
    static long lastSeenOf(byte[] bytes) {
        return new ByteReader(bytes).varLong();
    }

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(lastSeen);
        out.varLong(lastSeen - firstSeen);
        out.varLong(tokens);
        out.doubleValue(cost);
        int active = 0;
        if (alerts != null) {
            for (AlertState a : alerts) {
                if (a != null && a.isActive()) {
                    active++;
                }
            }
        }
        out.varLong(active);
        if (active > 0) {
            for (int i = 0; i < alerts.length; i++) {
                if (alerts[i] != null && alerts[i].isActive()) {
                    out.string(ruleIds.get(i));
                    alerts[i].encode(out);
                }
            }
            out.optionalString(tenant);
            out.optionalString(workflow);
        }
    }

    static SessionBudget decode(byte[] bytes, List<String> ruleIds) {
        ByteReader in = new ByteReader(bytes);
        SessionBudget s = new SessionBudget();
        s.lastSeen = in.varLong();
        s.firstSeen = s.lastSeen - in.varLong();
        s.tokens = in.varLong();
        s.cost = in.doubleValue();
        int active = in.varInt();
        if (active > 0) {
            s.alerts = new AlertState[ruleIds.size()];
            for (int i = 0; i < active; i++) {
                String ruleId = in.string();
                AlertState state = AlertState.decode(in);
                int index = ruleIds.indexOf(ruleId);
                if (index >= 0) {
                    s.alerts[index] = state;
                }
            }
            s.tenant = in.optionalString();
            s.workflow = in.optionalString();
        }
        return s;
    }

    /** For the query endpoints. */
    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", tokens);
        m.put("cost_usd", cost);
        m.put("first_seen", Instant.ofEpochMilli(firstSeen).toString());
        m.put("last_seen", Instant.ofEpochMilli(lastSeen).toString());
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
