package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget section of a {@link SessionState}: the tokens and cost of the session's steps over its whole life,
 * since when, and the budget alerts raised for it. Stored as a varint span, two totals and, only when an alert was
 * raised, the alert states: about 12 bytes without alerts.
 */
final class SessionBudget {
    long firstSeen;
    long tokens;
    double cost;
    /** By index of the session budget rules; null until one fires for this session. */
    AlertState[] alerts;

    SessionBudget(long firstSeen) {
        this.firstSeen = firstSeen;
    }

    void add(long ts, long addTokens, double addCost) {
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

    boolean hasActiveAlert() {
        return SessionState.anyActive(alerts);
    }

    void encode(ByteSink out, long lastSeen, List<String> ruleIds) {
        out.varLong(lastSeen - firstSeen);
        out.varLong(tokens);
        out.doubleValue(cost);
        SessionState.encodeAlerts(out, alerts, ruleIds);
    }

    static SessionBudget decode(ByteReader in, long lastSeen, List<String> ruleIds) {
        SessionBudget b = new SessionBudget(lastSeen - in.varLong());
        b.tokens = in.varLong();
        b.cost = in.doubleValue();
        b.alerts = SessionState.decodeAlerts(in, ruleIds);
        return b;
    }

    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", tokens);
        m.put("cost_usd", cost);
        m.put("first_seen", Instant.ofEpochMilli(firstSeen).toString());
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
