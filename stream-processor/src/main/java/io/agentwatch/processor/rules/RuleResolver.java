package io.agentwatch.processor.rules;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.schema.AlertRule;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves what a rule means for one agent: the rules file's definition, then the override keyed {@code <rule id>}
 * (all agents), then the one keyed {@code <rule id>/<agent id>}. The rules a processor evaluates are numbered once;
 * {@link #forAgent} gives an agent's {@link AgentRules}, which a processor may keep in the agent's live state, so the
 * hot path resolves a rule with an array access. Everything is dropped when {@link OverridesVersion} moves. An
 * override that does not make a valid rule is ignored, counted and logged, and the rule keeps the file's meaning.
 */
public final class RuleResolver {
    private static final Logger log = LoggerFactory.getLogger(RuleResolver.class);
    private static final int MAX_AGENTS = 200_000;

    private final OverridesVersion version;
    private final ProcessorMetrics metrics;
    private ReadOnlyKeyValueStore<String, AlertRule> overrides;
    private final List<RuleDefinition> rules;
    private final Map<RuleDefinition, Integer> indexes = new IdentityHashMap<>();
    private final Map<String, AgentRules> agents = new HashMap<>();
    private final EffectiveRule[] defaults;
    private final EffectiveRule[] global;
    private long seenVersion = -1;

    /** @param rules every rule the owning processor evaluates; their positions are their indexes */
    public RuleResolver(List<RuleDefinition> rules, OverridesVersion version, ProcessorMetrics metrics) {
        this.rules = List.copyOf(rules);
        this.version = version;
        this.metrics = metrics;
        this.defaults = new EffectiveRule[this.rules.size()];
        this.global = new EffectiveRule[this.rules.size()];
        for (int i = 0; i < this.rules.size(); i++) {
            indexes.put(this.rules.get(i), i);
            defaults[i] = new EffectiveRule(this.rules.get(i), compileOrNull(this.rules.get(i)));
        }
    }

    /** The index of a rule given to the constructor. */
    public int indexOf(RuleDefinition rule) {
        Integer i = indexes.get(rule);
        if (i == null) {
            throw new IllegalArgumentException("rule " + rule.id() + " is not one of this resolver's rules");
        }
        return i;
    }

    /** The current version of the overrides; an {@link AgentRules} of another version is stale. */
    public long version() {
        return version.get();
    }

    /** The agent's rules as of the current overrides. */
    public AgentRules forAgent(String agentId) {
        checkVersion();
        AgentRules r = agents.get(agentId);
        if (r == null) {
            if (agents.size() > MAX_AGENTS) {
                agents.clear();
            }
            r = new AgentRules(this, agentId, seenVersion, rules.size());
            agents.put(agentId, r);
        }
        return r;
    }

    /** Binds the global rules store (null when the topology runs without one). */
    public void bind(ReadOnlyKeyValueStore<String, AlertRule> overrides) {
        this.overrides = overrides;
    }

    /** One rule for one agent (convenience; hot paths keep the agent's {@link AgentRules}). */
    public EffectiveRule resolve(RuleDefinition rule, String agentId) {
        return forAgent(agentId).get(indexOf(rule));
    }

    /** The rule for scopes that belong to no single agent (a trace): the file's rule and its rule-wide override only. */
    public EffectiveRule resolveForAll(RuleDefinition rule) {
        checkVersion();
        int index = indexOf(rule);
        EffectiveRule hit = global[index];
        if (hit == null) {
            hit = compute(index, null);
            global[index] = hit;
        }
        return hit;
    }

    private void checkVersion() {
        long v = version.get();
        if (v != seenVersion) {
            agents.clear();
            Arrays.fill(global, null);
            seenVersion = v;
        }
    }

    EffectiveRule compute(int index, String agentId) {
        RuleDefinition rule = rules.get(index);
        EffectiveRule base = defaults[index];
        if (overrides == null) {
            return base;
        }
        RuleDefinition merged = rule;
        String[] keys = agentId == null ? new String[] {rule.id()} : new String[] {rule.id(), rule.id() + '/' + agentId};
        for (String key : keys) {
            AlertRule override = overrides.get(key);
            if (override == null) {
                continue;
            }
            try {
                merged = RuleOverride.apply(merged, override);
            } catch (IllegalArgumentException e) {
                metrics.overrideRejected(rule.id());
                log.warn("ignoring the rule override {}: {}", key, e.getMessage());
            }
        }
        return merged == rule ? base : new EffectiveRule(merged, compileOrNull(merged));
    }

    private static Condition compileOrNull(RuleDefinition rule) {
        return rule.kind() == RuleKind.WINDOW || rule.kind() == RuleKind.EVENT ? rule.compile() : null;
    }
}
