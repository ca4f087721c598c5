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
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Operation;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * SessionTokenBudgetExceeded (rules of kind {@code session_budget}): the tokens and cost a session has used over its
 * whole life, not a window, against a ceiling ({@code params.max_tokens}, {@code params.max_cost}; either may be
 * left out). Fires once when a session crosses it (a FIRING record per incident, re-sent only after the rule's
 * {@code repeat_interval}), suggests TERMINATE_SESSION, and resolves when the session expires: idle for
 * {@code params.idle_timeout} of event time (default 15m), after which its state is deleted.
 *
 * <p>Counts steps only (not INVOKE_AGENT run events, whose usage is the sum of their steps', nor heartbeats). State:
 * the budget section of the session's record in {@code sessions-store} (see {@link SessionStates}, which it shares
 * with {@link LoopDetector}).
 */
public final class SessionBudgetDetector implements Processor<String, AgentEvent, String, Alert>, SessionStates.Expiry {
    private final List<RuleDefinition> rules;
    private final RuleResolver resolver;
    private final ProcessorMetrics metrics;
    private final SessionStates sessions;
    private final AgentRuleCache agentRules;
    private AlertEmitter emitter;

    /** Standalone: with session state of its own. */
    public SessionBudgetDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        this(rules, resolver, metrics, new SessionStates(rules, settings, resolver, metrics));
    }

    SessionBudgetDetector(RuleSet rules, RuleResolver resolver, ProcessorMetrics metrics, SessionStates sessions) {
        this.rules = rules.ofKind(RuleKind.SESSION_BUDGET);
        this.resolver = resolver;
        this.metrics = metrics;
        this.sessions = sessions;
        this.agentRules = new AgentRuleCache(this.rules, resolver, "max_tokens", "max_cost");
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        resolver.bind(context.getStateStore(StoreNames.RULE_OVERRIDES));
        KeyValueStore<String, byte[]> causes = context.getStateStore(StoreNames.CASCADE_CAUSES);
        emitter = new AlertEmitter(context, metrics, new CascadeCauses(causes));
        sessions.init(context, this);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (rules.isEmpty()) {
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
        SessionState s = sessions.live(sessionId, agentId, ts);
        SessionBudget b = s.budget;
        if (b == null) {
            b = new SessionBudget(ts);
            s.budget = b;
        }
        b.add(ts, tokens, cost);
        AgentRuleCache.AgentRules effective = agentRules.rulesOf(agentId);
        for (int i = 0; i < effective.rules.length; i++) {
            double[] p = effective.params[i];
            // the common case, settled without touching the rule: under both ceilings, nothing firing
            if (!(b.tokens > p[0]) && !(b.cost > p[1]) && (b.alerts == null || b.alerts[i] == null || !b.alerts[i].isActive())) {
                continue;
            }
            check(i, effective.rules[i], s, b, e, agentId, sessionId, ts);
        }
    }

    private void check(int index, EffectiveRule eff, SessionState s, SessionBudget b, AgentEvent e, String agentId, String sessionId, long ts) {
        if (!eff.enabled()) {
            return;
        }
        RuleDefinition def = eff.definition();
        AlertState state = b.alerts == null ? null : b.alerts[index];
        if (state != null && state.phase() == AlertState.Phase.FIRING) {
            Emit repeat = AlertLifecycle.occurred(state, ts, def.repeatInterval());
            if (repeat != Emit.NOTHING) {
                emitter.emit(def, state, repeat, false, ts, context(def, s, agentId, sessionId, e.getTraceId()));
            }
            return;
        }
        double maxTokens = def.param("max_tokens");
        double maxCost = def.param("max_cost");
        if (!(b.tokens > maxTokens) && !(b.cost > maxCost)) {
            return;
        }
        state = b.alert(index, rules.size());
        s.tenant = e.getTenant();
        s.workflow = e.getWorkflow();
        Emit emit = AlertLifecycle.occurred(state, ts, def.repeatInterval());
        emitter.emit(def, state, emit, true, ts, context(def, s, agentId, sessionId, e.getTraceId()));
    }

    private static AlertContext context(RuleDefinition def, SessionState s, String agentId, String sessionId, String traceId) {
        SessionBudget b = s.budget;
        double maxTokens = def.param("max_tokens");
        double maxCost = def.param("max_cost");
        boolean byTokens = b.tokens > maxTokens || Double.isNaN(maxCost);
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "session_id", sessionId)))
                .agent(agentId, s.tenant)
                .session(sessionId)
                .label("workflow", s.workflow)
                .numbers(byTokens ? b.tokens : b.cost, byTokens ? maxTokens : maxCost, Double.NaN)
                .evidence(traceId == null ? List.of() : List.of(traceId))
                .var("tokens", b.tokens)
                .var("cost", b.cost)
                .var("max_tokens", maxTokens)
                .var("max_cost", maxCost);
    }

    @Override
    public void expiring(SessionKey key, SessionState s, long now) {
        SessionBudget b = s.budget;
        for (int i = 0; b != null && b.alerts != null && i < rules.size(); i++) {
            AlertState state = b.alerts[i];
            if (state != null && state.isActive()) {
                RuleDefinition def = resolver.resolve(rules.get(i), key.agentId()).definition();
                emitter.emit(def, state, AlertLifecycle.end(state), false, now, context(def, s, key.agentId(), key.sessionId(), null));
            }
        }
    }

    @Override
    public void close() {
        sessions.close();
    }
}
