package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one agent has used on one UTC day (tokens and cost of its steps) and the budget alerts of that day. */
final class DailyBudget {
    static final long DAY_MS = 86_400_000L;

    long day;
    long tokens;
    double cost;
    /** By rule index of the detector; an alert of a level fires at most once per day. */
    AlertState[] alerts;
    /** Per rule index, the day its alert last fired (so that a level fires once per day). */
    long[] firedOn;
    String tenant;
    String workflow;

    DailyBudget(long day) {
        this.day = day;
    }

    static long dayOf(long ts) {
        return Math.floorDiv(ts, DAY_MS);
    }

    static String date(long day) {
        return LocalDate.ofEpochDay(day).toString();
    }

    AlertState alert(int rule, int rules) {
        if (alerts == null) {
            alerts = new AlertState[rules];
            firedOn = new long[rules];
            java.util.Arrays.fill(firedOn, Long.MIN_VALUE);
        }
        if (alerts[rule] == null) {
            alerts[rule] = new AlertState();
        }
        return alerts[rule];
    }

    boolean firedToday(int rule) {
        return firedOn != null && firedOn[rule] == day;
    }

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

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(day);
        out.varLong(tokens);
        out.doubleValue(cost);
        int n = 0;
        for (int i = 0; alerts != null && i < alerts.length; i++) {
            if (alerts[i] != null && firedOn[i] == day) {
                n++;
            }
        }
        out.varLong(n);
        for (int i = 0; n > 0 && i < alerts.length; i++) {
            if (alerts[i] != null && firedOn[i] == day) {
                out.string(ruleIds.get(i));
                alerts[i].encode(out);
            }
        }
        if (n > 0) {
            out.optionalString(tenant);
            out.optionalString(workflow);
        }
    }

    static DailyBudget decode(byte[] bytes, List<String> ruleIds) {
        ByteReader in = new ByteReader(bytes);
        DailyBudget d = new DailyBudget(in.varLong());
        d.tokens = in.varLong();
        d.cost = in.doubleValue();
        int n = in.varInt();
        for (int i = 0; i < n; i++) {
            String ruleId = in.string();
            AlertState state = AlertState.decode(in);
            int index = ruleIds.indexOf(ruleId);
            if (index >= 0) {
                d.alert(index, ruleIds.size());
                d.alerts[index] = state;
                d.firedOn[index] = d.day;
            }
        }
        if (n > 0) {
            d.tenant = in.optionalString();
            d.workflow = in.optionalString();
        }
        return d;
    }

    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("day", date(day));
        m.put("tokens", tokens);
        m.put("cost_usd", cost);
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
