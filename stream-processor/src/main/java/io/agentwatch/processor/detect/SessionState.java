package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the detectors keep about one session of one agent, one record in {@code sessions-store}: when it was
 * last active, its budget section ({@link SessionBudget}, once it has used tokens or cost) and its loop section
 * ({@link LoopState}, once it has called a tool), plus the labels its alerts need when they resolve. Layout:
 * last-seen first (the expiry sweep reads only that), a byte of which sections follow, the sections.
 */
final class SessionState {
    private static final int BUDGET = 1;
    private static final int LOOP = 2;
    private static final int LABELS = 4;

    long lastSeen;
    SessionBudget budget;
    LoopState loop;
    /** Kept only while an alert of the session is active (its RESOLVED record needs them). */
    String tenant;
    String workflow;

    SessionState(long ts) {
        this.lastSeen = ts;
    }

    void seen(long ts) {
        lastSeen = Math.max(lastSeen, ts);
    }

    boolean hasActiveAlert() {
        return (budget != null && budget.hasActiveAlert()) || (loop != null && loop.hasActiveAlert());
    }

    static long lastSeenOf(byte[] bytes) {
        return new ByteReader(bytes).varLong();
    }

    void encode(ByteSink out, List<String> budgetRules, List<String> loopRules) {
        boolean labels = hasActiveAlert();
        out.varLong(lastSeen);
        out.varLong((budget != null ? BUDGET : 0) | (loop != null ? LOOP : 0) | (labels ? LABELS : 0));
        if (budget != null) {
            budget.encode(out, lastSeen, budgetRules);
        }
        if (loop != null) {
            loop.encode(out, loopRules);
        }
        if (labels) {
            out.optionalString(tenant);
            out.optionalString(workflow);
        }
    }

    static SessionState decode(byte[] bytes, List<String> budgetRules, List<String> loopRules) {
        ByteReader in = new ByteReader(bytes);
        SessionState s = new SessionState(in.varLong());
        int sections = in.varInt();
        if (sections < 0 || sections > (BUDGET | LOOP | LABELS)) {
            throw new IllegalStateException("unknown session state sections " + sections);
        }
        if ((sections & BUDGET) != 0) {
            s.budget = SessionBudget.decode(in, s.lastSeen, budgetRules);
        }
        if ((sections & LOOP) != 0) {
            s.loop = LoopState.decode(in, loopRules);
        }
        if ((sections & LABELS) != 0) {
            s.tenant = in.optionalString();
            s.workflow = in.optionalString();
        }
        return s;
    }

    Map<String, Object> describe(List<String> budgetRules, List<String> loopRules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_seen", Instant.ofEpochMilli(lastSeen).toString());
        if (budget != null) {
            m.put("budget", budget.describe(budgetRules));
        }
        if (loop != null) {
            m.put("loop", loop.describe(loopRules));
        }
        return m;
    }

    static boolean anyActive(AlertState[] alerts) {
        if (alerts != null) {
            for (AlertState a : alerts) {
                if (a != null && a.isActive()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The active alerts by rule id: a count, then (rule id, state) pairs. */
    static void encodeAlerts(ByteSink out, AlertState[] alerts, List<String> ruleIds) {
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

    static AlertState[] decodeAlerts(ByteReader in, List<String> ruleIds) {
        int active = in.varInt();
        if (active == 0) {
            return null;
        }
        AlertState[] alerts = new AlertState[ruleIds.size()];
        for (int i = 0; i < active; i++) {
            String ruleId = in.string();
            AlertState state = AlertState.decode(in);
            int index = ruleIds.indexOf(ruleId);
            if (index >= 0) {
                alerts[index] = state;
            }
        }
        return alerts;
    }
}
