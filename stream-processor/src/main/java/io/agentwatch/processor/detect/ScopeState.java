package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.processor.stats.Baselines;
import io.agentwatch.processor.stats.Pane;
import io.agentwatch.processor.stats.WindowState;
import io.agentwatch.schema.serde.ByteSink;
import java.util.HashMap;
import java.util.Map;

/**
 * The live state of one scope of the agent rules: an agent, or an agent and a segment value. Its windows live in
 * the panes store; the rest (baselines for an agent scope, alert states by rule, last-seen labels, exemplar traces)
 * is one small record in the scopes store.
 */
final class ScopeState implements WindowState.SealListener {
    static final char SEPARATOR = '\u001f';

    final String scope;
    final String agentId;
    final String segmentLabel;
    final String segmentValue;
    WindowState windows;
    Baselines baselines;
    String tenant;
    String workflow;
    final Map<String, AlertState> alerts = new HashMap<>(4);
    EvidenceRing errorTraces = new EvidenceRing();
    EvidenceRing slowTraces = new EvidenceRing();
    EvidenceRing tokenTraces = new EvidenceRing();
    /** Latency at or above which a step counts as slow evidence; updated on each evaluation. */
    double slowThresholdMs = Double.POSITIVE_INFINITY;
    /** Tokens at or above which a step counts as token evidence; updated on each evaluation. */
    double tokenThreshold = Double.POSITIVE_INFINITY;
    boolean recordDirty;
    /** The agent's effective rules as of the overrides version they carry (not kept). */
    io.agentwatch.processor.rules.AgentRules rules;
    /**
     * Event time at or after which this scope is next evaluated, and whether it has events not yet evaluated. Kept
     * (in agent-evaluations-store), so that after a restart the scope is evaluated at exactly the points it would have
     * been without one: re-evaluating a point already passed, with later events counted, could change a decision.
     */
    long nextEvaluation = Long.MIN_VALUE;
    boolean pending;
    boolean marksDirty;
    /** Baseline smoothing per pane; set by the processor that owns the state. */
    double baselineAlpha;

    ScopeState(String scope, String agentId, String segmentLabel, String segmentValue) {
        this.scope = scope;
        this.agentId = agentId;
        this.segmentLabel = segmentLabel;
        this.segmentValue = segmentValue;
    }

    static String key(String agentId, String segmentationId, String value) {
        return segmentationId.isEmpty() ? agentId : agentId + SEPARATOR + segmentationId + SEPARATOR + value;
    }

    /** Parses a scope key back into agent id, segment label and value. */
    static ScopeState forKey(String scope) {
        int first = scope.indexOf(SEPARATOR);
        if (first < 0) {
            return new ScopeState(scope, scope, null, null);
        }
        int second = scope.indexOf(SEPARATOR, first + 1);
        String segmentationId = scope.substring(first + 1, second);
        String label = segmentationId.startsWith("attribute:") ? segmentationId.substring("attribute:".length()) : segmentationId;
        return new ScopeState(scope, scope.substring(0, first), label, scope.substring(second + 1));
    }

    /** A pane of this scope became final: an agent scope learns its baselines from it, unless an alert is active. */
    @Override
    public void sealed(String scopeKey, long paneStart, Pane pane) {
        if (baselines != null && !hasActiveAlert() && baselines.learn(paneStart, pane, baselineAlpha)) {
            recordDirty = true;
        }
    }

    boolean isAgentScope() {
        return segmentLabel == null;
    }

    boolean hasActiveAlert() {
        for (AlertState s : alerts.values()) {
            if (s.isActive()) {
                return true;
            }
        }
        return false;
    }

    AlertState alert(String ruleId) {
        return alerts.computeIfAbsent(ruleId, id -> new AlertState());
    }

    void encodeRecord(ByteSink out) {
        out.varLong(1); // layout version
        out.optionalString(tenant);
        out.optionalString(workflow);
        if (baselines == null) {
            out.varLong(0);
        } else {
            out.varLong(1);
            baselines.encode(out);
        }
        int active = 0;
        for (AlertState s : alerts.values()) {
            if (s.isActive()) {
                active++;
            }
        }
        out.varLong(active);
        for (Map.Entry<String, AlertState> e : alerts.entrySet()) {
            if (e.getValue().isActive()) {
                out.string(e.getKey());
                e.getValue().encode(out);
            }
        }
        errorTraces.encode(out);
        slowTraces.encode(out);
        tokenTraces.encode(out);
    }

    void decodeRecord(ByteReader in) {
        long version = in.varLong();
        if (version != 1) {
            throw new IllegalStateException("unknown scope record layout " + version);
        }
        tenant = in.optionalString();
        workflow = in.optionalString();
        if (in.varLong() == 1) {
            baselines = Baselines.decode(in);
        }
        int n = in.varInt();
        for (int i = 0; i < n; i++) {
            alerts.put(in.string(), AlertState.decode(in));
        }
        errorTraces = EvidenceRing.decode(in);
        slowTraces = EvidenceRing.decode(in);
        tokenTraces = EvidenceRing.decode(in);
    }
}
