package io.agentwatch.processor.detect;

import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A detector's rules as they apply to each agent, in the detector's rule order, with the numeric parameters the
 * detector reads on the hot path already looked up: one hash lookup per event instead of a resolution per rule and
 * a map lookup per parameter; dropped when the overrides change. Bounded (cleared past 100k agents).
 */
final class AgentRuleCache {
    private static final int MAX_AGENTS = 100_000;

    /** The rules of one agent: {@code rules[i]} and its parameters {@code params[i][p]} (NaN where unset). */
    static final class AgentRules {
        final EffectiveRule[] rules;
        final double[][] params;

        AgentRules(EffectiveRule[] rules, double[][] params) {
            this.rules = rules;
            this.params = params;
        }
    }

    private final List<RuleDefinition> rules;
    private final RuleResolver resolver;
    private final String[] paramNames;
    private final Map<String, AgentRules> byAgent = new HashMap<>();
    private long version = -1;

    /** @param paramNames the parameters to look up once per agent ({@code threshold} and {@code min_events} included) */
    AgentRuleCache(List<RuleDefinition> rules, RuleResolver resolver, String... paramNames) {
        this.rules = rules;
        this.resolver = resolver;
        this.paramNames = paramNames.clone();
    }

    EffectiveRule[] of(String agentId) {
        return rulesOf(agentId).rules;
    }

    AgentRules rulesOf(String agentId) {
        long v = resolver.version();
        if (v != version) {
            byAgent.clear();
            version = v;
        }
        AgentRules cached = byAgent.get(agentId);
        if (cached == null) {
            EffectiveRule[] effective = new EffectiveRule[rules.size()];
            double[][] params = new double[rules.size()][paramNames.length];
            for (int i = 0; i < effective.length; i++) {
                effective[i] = resolver.resolve(rules.get(i), agentId);
                for (int p = 0; p < paramNames.length; p++) {
                    params[i][p] = effective[i].definition().param(paramNames[p]);
                }
            }
            if (byAgent.size() >= MAX_AGENTS) {
                byAgent.clear();
            }
            cached = new AgentRules(effective, params);
            byAgent.put(agentId, cached);
        }
        return cached;
    }
}
