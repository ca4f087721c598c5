package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertLifecycle;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Record;

/**
 * AgentDailyBudgetExceeded (rules of kind {@code daily_budget}): tokens or cost of an agent's steps on one UTC day
 * (event time) against caps ({@code params.max_tokens}, {@code params.max_cost}). A rule fires when the used share
 * of either cap reaches its {@code threshold} (1.0 = the cap; 0.8 = a warning at 80%), at most once per day per
 * agent and rule: two rules make two levels, each firing once. Every alert of a day resolves when the day ends (the
 * agent's first event of the next day, or stream time passing midnight). Events of a day that has already ended
 * for the agent are not counted. State: {@code agent-daily-budgets-store}, one record per agent.
 */
public final class DailyBudgetDetector extends StateDetector<String, DailyBudget> {
    /** Agents with an alert firing today, to resolve at midnight; bounded by the agents. */
    private final Set<String> firing = new HashSet<>();
    private final AgentRuleCache caps;

    public DailyBudgetDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        super(rules, RuleKind.DAILY_BUDGET, settings, resolver, metrics, StoreNames.AGENT_DAILY_BUDGETS, StoreNames.AGENT_DETECTORS_HOOK,
                settings.liveAgents(), false);
        this.caps = new AgentRuleCache(this.rules, resolver, "threshold", "max_tokens", "max_cost");
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (idle()) {
            return;
        }
        AgentEvent e = record.value();
        Operation op = e.getOperation();
        if (op == Operation.HEARTBEAT || op == Operation.INVOKE_AGENT) {
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
        long day = DailyBudget.dayOf(ts);
        String agentId = e.getAgentId();
        DailyBudget d = live(agentId, ts);
        if (day > d.day) {
            endDay(agentId, d);
            d.day = day;
            d.tokens = 0;
            d.cost = 0;
        } else if (day < d.day) {
            return;
        }
        d.tokens += tokens;
        d.cost += cost;
        AgentRuleCache.AgentRules effective = caps.rulesOf(agentId);
        for (int i = 0; i < effective.rules.length; i++) {
            double[] p = effective.params[i];
            double level = Double.isNaN(p[0]) ? 1.0 : p[0];
            double tokenShare = d.tokens / p[1];
            double costShare = d.cost / p[2];
            if (!(tokenShare >= level || costShare >= level) || d.firedToday(i) || !effective.rules[i].enabled()) {
                continue;
            }
            RuleDefinition def = effective.rules[i].definition();
            AlertState state = d.alert(i, rules.size());
            d.firedOn[i] = day;
            d.tenant = e.getTenant();
            d.workflow = e.getWorkflow();
            firing.add(agentId);
            boolean byTokens = !(costShare > tokenShare);
            double cap = byTokens ? def.param("max_tokens") : def.param("max_cost");
            AlertContext ctx = context(def, d, agentId)
                    .numbers(byTokens ? d.tokens : d.cost, level * cap, Double.NaN)
                    .window(day * DailyBudget.DAY_MS, ts)
                    .evidence(e.getTraceId() == null ? List.of() : List.of(e.getTraceId()))
                    .var("share", byTokens ? tokenShare : costShare);
            emitter.emit(def, state, AlertLifecycle.occurred(state, ts, java.time.Duration.ZERO), true, ts, ctx);
        }
    }

    private static AlertContext context(RuleDefinition def, DailyBudget d, String agentId) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "day", DailyBudget.date(d.day))))
                .agent(agentId, d.tenant)
                .label("workflow", d.workflow)
                .label("day", DailyBudget.date(d.day))
                .var("tokens", d.tokens)
                .var("cost", d.cost)
                .var("max_tokens", def.param("max_tokens"))
                .var("max_cost", def.param("max_cost"));
    }

    /** Resolves the alerts of the agent's current day, as of its end (midnight UTC). */
    private void endDay(String agentId, DailyBudget d) {
        if (!d.hasActiveAlert()) {
            return;
        }
        long midnight = (d.day + 1) * DailyBudget.DAY_MS;
        for (int i = 0; i < rules.size(); i++) {
            AlertState state = d.alerts[i];
            if (state != null && state.isActive()) {
                RuleDefinition def = resolver.resolve(rules.get(i), agentId).definition();
                emitter.emit(def, state, AlertLifecycle.end(state), false, midnight, context(def, d, agentId));
            }
        }
        firing.remove(agentId);
    }

    @Override
    protected void tick(long now) {
        if (firing.isEmpty()) {
            return;
        }
        long today = DailyBudget.dayOf(now);
        for (String agentId : new ArrayList<>(firing)) {
            DailyBudget d = cache.get(agentId);
            if (d == null) {
                firing.remove(agentId);
            } else if (d.day < today) {
                cache.markDirty(agentId);
                endDay(agentId, d);
            }
        }
    }

    @Override
    protected String keep(String probe) {
        return probe;
    }

    @Override
    protected String storeKey(String key) {
        return key;
    }

    @Override
    protected DailyBudget create(String key, long ts) {
        return new DailyBudget(DailyBudget.dayOf(ts));
    }

    @Override
    protected DailyBudget decode(String key, byte[] bytes) {
        return DailyBudget.decode(bytes, ruleIds);
    }

    @Override
    protected void encode(DailyBudget state, ByteSink out) {
        state.encode(out, ruleIds);
    }

    @Override
    protected boolean scansOnInit() {
        return true;
    }

    @Override
    protected void restored(String agentId, byte[] bytes) {
        if (DailyBudget.decode(bytes, ruleIds).hasActiveAlert()) {
            firing.add(agentId);
        }
    }

    /** The stored day of an agent for the query endpoints. */
    static Map<String, Object> describe(byte[] bytes, List<String> ruleIds) {
        return DailyBudget.decode(bytes, ruleIds).describe(ruleIds);
    }
}
