package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lineage of one trace as far as the cascade detector knows it: its agent runs and failed spans (span, parent,
 * agent, time, failed), at most {@link #MAX_SPANS}, in arrival order, and the cascade alert of the trace. Links are
 * resolved when they are needed, not when spans arrive, so a child that arrives before its parent is linked as
 * soon as the parent is there.
 */
final class TraceState {
    static final int MAX_SPANS = 128;

    long lastSeen;
    int n;
    long[] spans = new long[4];
    long[] parents = new long[4];
    String[] agents = new String[4];
    long[] times = new long[4];
    boolean[] failed = new boolean[4];
    int failures;
    /** Whether the trace is in the store (it is written once it has a failure; see {@link CascadeProcessor}). */
    boolean persisted;
    AlertState alert;
    /** Event time the cascade condition started to hold; 0 while it does not. */
    long pendingSince;
    String rootCause;
    String affected;

    /** Adds a span unless it is known (a redelivered span changes nothing); false when ignored. */
    boolean add(LineageSpan s) {
        lastSeen = Math.max(lastSeen, s.timestamp());
        for (int i = 0; i < n; i++) {
            if (spans[i] == s.spanId()) {
                if (s.failed() && !failed[i]) {
                    failed[i] = true;
                    failures++;
                    return true;
                }
                return false;
            }
        }
        if (n == MAX_SPANS) {
            return false;
        }
        if (n == spans.length) {
            int size = Math.min(MAX_SPANS, n * 2);
            spans = Arrays.copyOf(spans, size);
            parents = Arrays.copyOf(parents, size);
            agents = Arrays.copyOf(agents, size);
            times = Arrays.copyOf(times, size);
            failed = Arrays.copyOf(failed, size);
        }
        spans[n] = s.spanId();
        parents[n] = s.parentSpanId();
        agents[n] = s.agentId();
        times[n] = s.timestamp();
        failed[n] = s.failed();
        if (s.failed()) {
            failures++;
        }
        n++;
        return true;
    }

    private int indexOf(long spanId) {
        for (int i = 0; i < n; i++) {
            if (spans[i] == spanId) {
                return i;
            }
        }
        return -1;
    }

    /** The agents above span i (its ancestors' agents, nearest first, without its own), as far as spans are known. */
    Set<String> upstreamAgents(int i) {
        Set<String> up = new LinkedHashSet<>();
        long parent = parents[i];
        for (int steps = 0; parent != 0 && steps < n; steps++) {
            int p = indexOf(parent);
            if (p < 0) {
                break;
            }
            if (!agents[p].equals(agents[i])) {
                up.add(agents[p]);
            }
            parent = parents[p];
        }
        return up;
    }

    /**
     * The earliest set of at least {@code minAgents} distinct agents whose failures fall within {@code withinMs} of
     * each other, in order of their first failure in that span; null if there is none.
     */
    List<String> failingTogether(int minAgents, long withinMs) {
        if (failures < minAgents) {
            return null;
        }
        int[] order = failureOrder();
        for (int a = 0; a < order.length; a++) {
            Set<String> agentsInSpan = new LinkedHashSet<>();
            for (int b = a; b < order.length && times[order[b]] - times[order[a]] <= withinMs; b++) {
                agentsInSpan.add(agents[order[b]]);
            }
            if (agentsInSpan.size() >= minAgents) {
                return new ArrayList<>(agentsInSpan);
            }
        }
        return null;
    }

    /** Event time of the failure that completed {@code together} (the condition holds from then on). */
    long completedAt(List<String> together, long withinMs) {
        int[] order = failureOrder();
        Set<String> seen = new LinkedHashSet<>();
        long first = -1;
        for (int i : order) {
            if (!together.contains(agents[i]) || (first >= 0 && times[i] - first > withinMs)) {
                continue;
            }
            if (first < 0) {
                first = times[i];
            }
            if (seen.add(agents[i]) && seen.size() == together.size()) {
                return times[i];
            }
        }
        return lastSeen;
    }

    /** The earliest failure time of each agent. */
    long firstFailure(String agent) {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (failed[i] && agents[i].equals(agent)) {
                first = Math.min(first, times[i]);
            }
        }
        return first;
    }

    /**
     * The root cause among failing agents: those with no other of them upstream (through the known lineage), and of
     * those the earliest to fail. Unlinked agents (their parents never arrived, or are spans this detector does not
     * see) count as having nobody upstream, so the earliest failure decides between them.
     */
    String rootCause(List<String> failing) {
        String root = null;
        long rootTime = Long.MAX_VALUE;
        for (String agent : failing) {
            boolean hasFailingUpstream = false;
            for (int i = 0; i < n && !hasFailingUpstream; i++) {
                if (failed[i] && agents[i].equals(agent)) {
                    for (String up : upstreamAgents(i)) {
                        if (failing.contains(up)) {
                            hasFailingUpstream = true;
                            break;
                        }
                    }
                }
            }
            long t = firstFailure(agent);
            if (!hasFailingUpstream && t < rootTime) {
                root = agent;
                rootTime = t;
            }
        }
        return root != null ? root : failing.get(0);
    }

    private int[] failureOrder() {
        Integer[] idx = new Integer[failures];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (failed[i]) {
                idx[k++] = i;
            }
        }
        Arrays.sort(idx, 0, k, (x, y) -> Long.compare(times[x], times[y]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    boolean hasActiveAlert() {
        return alert != null && alert.isActive();
    }

    static long lastSeenOf(byte[] bytes) {
        return new ByteReader(bytes).varLong();
    }

    void encode(ByteSink out) {
        out.varLong(lastSeen);
        out.varLong(n);
        for (int i = 0; i < n; i++) {
            ByteReader.writeFixedLong(out, spans[i]);
            ByteReader.writeFixedLong(out, parents[i]);
            out.string(agents[i]);
            out.varLong(lastSeen - times[i]);
            out.varLong(failed[i] ? 1 : 0);
        }
        out.varLong(pendingSince);
        if (alert == null) {
            out.varLong(0);
        } else {
            out.varLong(1);
            alert.encode(out);
            out.optionalString(rootCause);
            out.optionalString(affected);
        }
    }

    static TraceState decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        TraceState t = new TraceState();
        long lastSeen = in.varLong();
        int n = in.varInt();
        if (n < 0 || n > MAX_SPANS) {
            throw new IllegalStateException("trace state with " + n + " spans");
        }
        for (int i = 0; i < n; i++) {
            long span = in.fixedLong();
            long parent = in.fixedLong();
            String agent = in.string();
            long time = lastSeen - in.varLong();
            boolean failed = in.varLong() == 1;
            t.add(new LineageSpan(span, parent, agent, failed, time, io.agentwatch.schema.Operation.OTHER));
        }
        t.lastSeen = lastSeen;
        t.pendingSince = in.varLong();
        if (in.varLong() == 1) {
            t.alert = AlertState.decode(in);
            t.rootCause = in.optionalString();
            t.affected = in.optionalString();
        }
        t.persisted = true;
        return t;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_seen", Instant.ofEpochMilli(lastSeen).toString());
        m.put("spans", n);
        m.put("failures", failures);
        if (rootCause != null) {
            m.put("root_cause_agent_id", rootCause);
            m.put("affected_agents", affected);
        }
        return m;
    }
}
