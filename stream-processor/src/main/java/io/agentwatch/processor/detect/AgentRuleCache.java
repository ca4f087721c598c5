package io.agentwatch.processor.detect;

import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A detector's rules as they apply to each agent, in the detector's rule order: one hash lookup per event instead
 * of a resolution per rule; dropped when the overrides change. Bounded (cleared past 100k agents).
 */
final class AgentRuleCache {
    private static final int MAX_AGENTS = 100_000;

    private final List<RuleDefinition> rules;
    private final RuleResolver resolver;
    private final Map<String, EffectiveRule[]> byAgent = new HashMap<>();
    private long version = -1;

    AgentRuleCache(List<RuleDefinition> rules, RuleResolver resolver) {
        this.rules = rules;
        this.resolver = resolver;
    }

    EffectiveRule[] of(String agentId) {
        long v = resolver.version();
        if (v != version) {
            byAgent.clear();
            version = v;
        }
        EffectiveRule[] effective = byAgent.get(agentId);
        if (effective == null) {
            effective = new EffectiveRule[rules.size()];
            for (int i = 0; i < effective.length; i++) {
                effective[i] = resolver.resolve(rules.get(i), agentId);
            }
            if (byAgent.size() >= MAX_AGENTS) {
                byAgent.clear();
            }
            byAgent.put(agentId, effective);
        }
        return effective;
    }
}
