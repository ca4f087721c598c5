package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertLifecycle;
import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.alerts.Fingerprint;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.serde.ByteSink;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Record;

/**
 * SessionTokenBudgetExceeded (rules of kind {@code session_budget}): the tokens and cost a session has used over its
 * whole life, not a window, against a ceiling ({@code params.max_tokens}, {@code params.max_cost}; either may be
 * left out). Fires once when a session crosses it (a FIRING record per incident, re-sent only after the rule's
 * {@code repeat_interval}), suggests TERMINATE_SESSION, and resolves when the session expires: no tokens for
 * {@code params.idle_timeout} of event time (default 15m), after which its state is deleted.
 *
 * <p>Counts steps only (not INVOKE_AGENT run events, whose usage is the sum of their steps', nor heartbeats). State:
 * {@code session-budgets-store}, one small record per session and agent; see {@link SessionStateDetector}.
 */
public final class SessionBudgetDetector extends SessionStateDetector<SessionBudget> {

    public SessionBudgetDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        super(rules, RuleKind.SESSION_BUDGET, settings, resolver, metrics, StoreNames.SESSION_BUDGETS, StoreNames.AGENT_DETECTORS_HOOK);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (idle()) {
            return;
        }
        AgentEvent e = record.value();
        String sessionId = e.getSessionId();
        Operation op = e.getOperation();
        if (sessionId == null || op == Operation.HEARTBEAT || op == Operation.INVOKE_AGENT) {
            return;
        }
        Long in = e.getInputTokens();
        Long out = e.getOutputTokens();
        Double c = e.getCostUsd();
        long tokens = (in == null ? 0 : in) + (out == null ? 0 : out);
        double cost = c == null ? 0 : c;
        if (tokens == 0 && cost == 0) {
            return;
        }
        long ts = record.timestamp();
        String agentId = e.getAgentId();
        SessionBudget s = live(probe.set(sessionId, agentId), ts);
        s.add(ts, tokens, cost);
        EffectiveRule[] effective = rulesFor(agentId);
        for (int i = 0; i < effective.length; i++) {
            check(i, effective[i], s, e, agentId, sessionId, ts);
        }
    }

    private void check(int index, EffectiveRule eff, SessionBudget s, AgentEvent e, String agentId, String sessionId, long ts) {
        if (!eff.enabled()) {
            return;
        }
        RuleDefinition def = eff.definition();
        AlertState state = s.alerts == null ? null : s.alerts[index];
        if (state != null && state.phase() == AlertState.Phase.FIRING) {
            Emit repeat = AlertLifecycle.occurred(state, ts, def.repeatInterval());
            if (repeat != Emit.NOTHING) {
                emitter.emit(def, state, repeat, false, ts, context(def, s, agentId, sessionId, e.getTraceId()));
            }
            return;
        }
        double maxTokens = def.param("max_tokens");
        double maxCost = def.param("max_cost");
        if (!(s.tokens > maxTokens) && !(s.cost > maxCost)) {
            return;
        }
        state = s.alert(index, rules.size());
        s.tenant = e.getTenant();
        s.workflow = e.getWorkflow();
        Emit emit = AlertLifecycle.occurred(state, ts, def.repeatInterval());
        emitter.emit(def, state, emit, true, ts, context(def, s, agentId, sessionId, e.getTraceId()));
    }

    private static AlertContext context(RuleDefinition def, SessionBudget s, String agentId, String sessionId, String traceId) {
        double maxTokens = def.param("max_tokens");
        double maxCost = def.param("max_cost");
        boolean byTokens = s.tokens > maxTokens;
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "session_id", sessionId)))
                .agent(agentId, s.tenant)
                .session(sessionId)
                .label("workflow", s.workflow)
                .numbers(byTokens || Double.isNaN(maxCost) ? s.tokens : s.cost, byTokens || Double.isNaN(maxCost) ? maxTokens : maxCost, Double.NaN)
                .evidence(traceId == null ? List.of() : List.of(traceId))
                .var("tokens", s.tokens)
                .var("cost", s.cost)
                .var("max_tokens", maxTokens)
                .var("max_cost", maxCost);
    }

    @Override
    protected void expiring(SessionKey key, SessionBudget s, long now) {
        for (int i = 0; i < rules.size(); i++) {
            AlertState state = s.alerts == null ? null : s.alerts[i];
            if (state != null && state.isActive()) {
                RuleDefinition def = resolver.resolve(rules.get(i), key.agentId()).definition();
                emitter.emit(def, state, AlertLifecycle.end(state), false, now, context(def, s, key.agentId(), key.sessionId(), null));
            }
        }
    }

    @Override
    protected long lastSeenOf(byte[] bytes) {
        return SessionBudget.lastSeenOf(bytes);
    }

    @Override
    protected SessionBudget create(SessionKey key, long ts) {
        return new SessionBudget(ts);
    }

    @Override
    protected SessionBudget decode(SessionKey key, byte[] bytes) {
        return SessionBudget.decode(bytes, ruleIds);
    }

    @Override
    protected void encode(SessionBudget state, ByteSink out) {
        state.encode(out, ruleIds);
    }

    /** The stored state of a session for the query endpoints; null if the bytes are not this detector's. */
    static Map<String, Object> describe(byte[] bytes, List<String> ruleIds) {
        return SessionBudget.decode(bytes, ruleIds).describe(ruleIds);
    }
}
