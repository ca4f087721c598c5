package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools of one agent: per tool its timeout chain (TIMEOUTs since the last success) and its aggregates since
 * the state began (calls, failures, timeouts, total latency) for the fleet query. At most {@link #MAX_TOOLS} tools
 * per agent: a new tool beyond that replaces the least recently called one without an active alert.
 */
final class AgentTools {
    static final int MAX_TOOLS = 64;

    final Map<String, Tool> tools = new HashMap<>(8);
    String tenant;
    String workflow;

    static final class Tool {
        final String name;
        long calls;
        long failures;
        long timeouts;
        long latencyMs;
        int chain;
        long lastCall;
        /** By rule index of the detector; null until a rule fires for this tool. */
        AlertState[] alerts;

        Tool(String name) {
            this.name = name;
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

        Map<String, Object> describe(List<String> ruleIds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool_name", name);
            m.put("calls", calls);
            m.put("failures", failures);
            m.put("timeouts", timeouts);
            m.put("total_latency_ms", latencyMs);
            m.put("mean_latency_ms", calls == 0 ? null : latencyMs / (double) calls);
            m.put("timeouts_in_a_row", chain);
            m.put("last_call", lastCall == 0 ? null : Instant.ofEpochMilli(lastCall).toString());
            m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
            return m;
        }
    }

    /** The tool's state, created on its first call. */
    Tool tool(String name, long ts) {
        Tool t = tools.get(name);
        if (t == null) {
            if (tools.size() >= MAX_TOOLS) {
                dropLeastRecentlyCalled();
            }
            t = new Tool(name);
            tools.put(name, t);
        }
        return t;
    }

    private void dropLeastRecentlyCalled() {
        Tool oldest = null;
        for (Tool t : tools.values()) {
            if (!t.hasActiveAlert() && (oldest == null || t.lastCall < oldest.lastCall)) {
                oldest = t;
            }
        }
        if (oldest != null) {
            tools.remove(oldest.name);
        }
    }

    boolean hasActiveAlert() {
        for (Tool t : tools.values()) {
            if (t.hasActiveAlert()) {
                return true;
            }
        }
        return false;
    }

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(1); // layout version
        out.optionalString(tenant);
        out.optionalString(workflow);
        out.varLong(tools.size());
        for (Tool t : tools.values()) {
            out.string(t.name);
            out.varLong(t.calls);
            out.varLong(t.failures);
            out.varLong(t.timeouts);
            out.varLong(t.latencyMs);
            out.varLong(t.chain);
            out.varLong(t.lastCall);
            int active = 0;
            if (t.alerts != null) {
                for (AlertState a : t.alerts) {
                    if (a != null && a.isActive()) {
                        active++;
                    }
                }
            }
            out.varLong(active);
            for (int i = 0; active > 0 && i < t.alerts.length; i++) {
                if (t.alerts[i] != null && t.alerts[i].isActive()) {
                    out.string(ruleIds.get(i));
                    t.alerts[i].encode(out);
                }
            }
        }
    }

    static AgentTools decode(byte[] bytes, List<String> ruleIds) {
        ByteReader in = new ByteReader(bytes);
        long version = in.varLong();
        if (version != 1) {
            throw new IllegalStateException("unknown agent tools layout " + version);
        }
        AgentTools a = new AgentTools();
        a.tenant = in.optionalString();
        a.workflow = in.optionalString();
        int n = in.varInt();
        for (int i = 0; i < n; i++) {
            Tool t = new Tool(in.string());
            t.calls = in.varLong();
            t.failures = in.varLong();
            t.timeouts = in.varLong();
            t.latencyMs = in.varLong();
            t.chain = in.varInt();
            t.lastCall = in.varLong();
            int active = in.varInt();
            for (int j = 0; j < active; j++) {
                String ruleId = in.string();
                AlertState state = AlertState.decode(in);
                int index = ruleIds.indexOf(ruleId);
                if (index >= 0) {
                    t.alert(index, ruleIds.size());
                    t.alerts[index] = state;
                }
            }
            a.tools.put(t.name, t);
        }
        return a;
    }

    List<Map<String, Object>> describe(List<String> ruleIds) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Tool t : tools.values()) {
            out.add(t.describe(ruleIds));
        }
        out.sort((x, y) -> Long.compare((Long) y.get("total_latency_ms"), (Long) x.get("total_latency_ms")));
        return out;
    }
}
