package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@link #HISTORY} tool calls of one session of one agent, each packed into a long (the hash of the tool
 * name in the high half, the hash of the arguments hash in the low half), and the loop alerts raised for it.
 * Bounded whatever the session does: about 100 bytes stored, 12 longs live.
 */
final class LoopState extends SessionStateDetector.SessionState {
    static final int HISTORY = 12;
    /** Low half of a call whose arguments hash is unknown: it never counts as the same call. */
    static final int NO_ARGS = 0;

    final long[] calls = new long[HISTORY];
    int size;
    int next;
    /** By rule index of the detector; null until a rule fires for this session. */
    AlertState[] alerts;
    String tenant;
    String workflow;
    String loopTool;
    String loopKind;

    LoopState() {
    }

    LoopState(long ts) {
        lastSeen = ts;
    }

    static long pack(int toolHash, int argsHash) {
        return ((long) toolHash << 32) | (argsHash & 0xffffffffL);
    }

    static int tool(long call) {
        return (int) (call >>> 32);
    }

    /** How many of the remembered calls equal this one (before it is added). */
    int countSame(long call) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (calls[i] == call) {
                n++;
            }
        }
        return n;
    }

    void add(long call) {
        calls[next] = call;
        next = (next + 1) % HISTORY;
        size = Math.min(size + 1, HISTORY);
    }

    /** The i-th most recent call, 0 the newest. */
    long recent(int i) {
        return calls[Math.floorMod(next - 1 - i, HISTORY)];
    }

    /**
     * The length n (2..maxN) of a sequence of at least two different tools that the last n x repeats calls repeat
     * back to back (A,B,A,B,A,B is a 2-tool cycle repeated 3 times), or 0. Arguments are not compared: a cycle is
     * the same tools in the same order. Runs of one tool are not cycles (same tool with other arguments is no loop).
     */
    int cycle(int maxN, int repeats) {
        for (int n = 2; n <= maxN; n++) {
            int span = n * repeats;
            if (span > size) {
                return 0;
            }
            boolean periodic = true;
            for (int i = n; i < span && periodic; i++) {
                periodic = tool(recent(i)) == tool(recent(i - n));
            }
            if (!periodic) {
                continue;
            }
            for (int i = 1; i < n; i++) {
                if (tool(recent(i)) != tool(recent(0))) {
                    return n;
                }
            }
        }
        return 0;
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

    static long lastSeenOf(byte[] bytes) {
        return new ByteReader(bytes).varLong();
    }

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(lastSeen);
        out.varLong(size);
        for (int i = size - 1; i >= 0; i--) {
            ByteReader.writeFixedLong(out, recent(i));
        }
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
            out.optionalString(loopTool);
            out.optionalString(loopKind);
        }
    }

    static LoopState decode(byte[] bytes, List<String> ruleIds) {
        ByteReader in = new ByteReader(bytes);
        LoopState s = new LoopState();
        s.lastSeen = in.varLong();
        int n = in.varInt();
        if (n < 0 || n > HISTORY) {
            throw new IllegalStateException("loop state with " + n + " calls");
        }
        for (int i = 0; i < n; i++) {
            s.add(in.fixedLong());
        }
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
            s.loopTool = in.optionalString();
            s.loopKind = in.optionalString();
        }
        return s;
    }

    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_seen", Instant.ofEpochMilli(lastSeen).toString());
        m.put("tool_calls_remembered", size);
        if (loopKind != null) {
            m.put("loop_kind", loopKind);
            m.put("loop_tool", loopTool);
        }
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
