package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop section of a {@link SessionState}: the session's last {@link #HISTORY} tool calls, each packed into a
 * long (the hash of the tool name in the high half, the hash of the arguments hash in the low half), and the loop
 * alerts raised for it. Bounded whatever the session does: 12 longs.
 */
final class LoopState {
    static final int HISTORY = 12;
    /** Low half of a call whose arguments hash is unknown: it never counts as the same call. */
    static final int NO_ARGS = 0;

    final long[] calls = new long[HISTORY];
    int size;
    int next;
    /** By index of the loop rules; null until one fires for this session. */
    AlertState[] alerts;
    String loopTool;
    String loopKind;

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

    boolean hasActiveAlert() {
        return SessionState.anyActive(alerts);
    }

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(size);
        for (int i = size - 1; i >= 0; i--) {
            ByteReader.writeFixedLong(out, recent(i));
        }
        SessionState.encodeAlerts(out, alerts, ruleIds);
        if (hasActiveAlert()) {
            out.optionalString(loopTool);
            out.optionalString(loopKind);
        }
    }

    static LoopState decode(ByteReader in, List<String> ruleIds) {
        LoopState s = new LoopState();
        int n = in.varInt();
        if (n < 0 || n > HISTORY) {
            throw new IllegalStateException("loop state with " + n + " calls");
        }
        for (int i = 0; i < n; i++) {
            s.add(in.fixedLong());
        }
        s.alerts = SessionState.decodeAlerts(in, ruleIds);
        if (s.hasActiveAlert()) {
            s.loopTool = in.optionalString();
            s.loopKind = in.optionalString();
        }
        return s;
    }

    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool_calls_remembered", size);
        if (loopKind != null) {
            m.put("loop_kind", loopKind);
            m.put("loop_tool", loopTool);
        }
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
