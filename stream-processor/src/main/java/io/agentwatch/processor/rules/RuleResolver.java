package io.agentwatch.processor.rules;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.schema.AlertRule;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves what a rule means for one agent: the rules file's definition, then the override keyed {@code <rule id>}
 * (all agents), then the one keyed {@code <rule id>/<agent id>}. Results are cached per processor (by rule, then by
 * agent: a hot-path lookup is two hash-map gets and allocates nothing) and dropped when {@link OverridesVersion}
 * moves. An override that does not make a valid rule is ignored, counted and logged once, and the rule keeps its
 * previous meaning.
 */
public final class RuleResolver {
    private static final Logger log = LoggerFactory.getLogger(RuleResolver.class);
    private static final int MAX_CACHED = 200_000;

    private final OverridesVersion version;
    private final ProcessorMetrics metrics;
    private ReadOnlyKeyValueStore<String, AlertRule> overrides;
    private final Map<String, Map<String, EffectiveRule>> cache = new HashMap<>();
    private final Map<String, EffectiveRule> defaults = new HashMap<>();
    private final Map<String, EffectiveRule> global = new HashMap<>();
    private long seenVersion = -1;
    private int cached;

    public RuleResolver(OverridesVersion version, ProcessorMetrics metrics) {
        this.version = version;
        this.metrics = metrics;
    }

    /** Binds the global rules store (null when the topology runs without one). */
    public void bind(ReadOnlyKeyValueStore<String, AlertRule> overrides) {
        this.overrides = overrides;
    }

    /** The version of the overrides the cached answers belong to; it moves on every override change. */
    public long version() {
        return version.get();
    }

    public EffectiveRule resolve(RuleDefinition rule, String agentId) {
        checkVersion();
        Map<String, EffectiveRule> byAgent = cache.get(rule.id());
        if (byAgent == null) {
            byAgent = new HashMap<>();
            cache.put(rule.id(), byAgent);
        }
        EffectiveRule hit = byAgent.get(agentId);
        if (hit != null) {
            return hit;
        }
        EffectiveRule resolved = compute(rule, agentId);
        if (++cached > MAX_CACHED) {
            cache.clear();
            cached = 1;
            byAgent = new HashMap<>();
            cache.put(rule.id(), byAgent);
        }
        byAgent.put(agentId, resolved);
        return resolved;
    }

    /** The rule for scopes that belong to no single agent (a trace): the file's rule and its rule-wide override only. */
    public EffectiveRule resolveForAll(RuleDefinition rule) {
        checkVersion();
        EffectiveRule hit = global.get(rule.id());
        if (hit == null) {
            hit = compute(rule, null);
            global.put(rule.id(), hit);
        }
        return hit;
    }

    private void checkVersion() {
        long v = version.get();
        if (v != seenVersion) {
            cache.clear();
            global.clear();
            cached = 0;
            seenVersion = v;
        }
    }

    private EffectiveRule compute(RuleDefinition rule, String agentId) {
        EffectiveRule base = defaults.computeIfAbsent(rule.id(), id -> new EffectiveRule(rule, compileOrNull(rule)));
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
