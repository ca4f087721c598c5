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
 * (all agents), then the one keyed {@code <rule id>/<agent id>}. Results are cached per processor and dropped when
 * {@link OverridesVersion} moves, so a hot path lookup is one hash-map get. An override that does not make a valid
 * rule is ignored, counted and logged once, and the rule keeps its previous meaning.
 */
public final class RuleResolver {
    private static final Logger log = LoggerFactory.getLogger(RuleResolver.class);

    private final OverridesVersion version;
    private final ProcessorMetrics metrics;
    private ReadOnlyKeyValueStore<String, AlertRule> overrides;
    private final Map<String, EffectiveRule> cache = new HashMap<>();
    private final Map<String, EffectiveRule> defaults = new HashMap<>();
    private long seenVersion = -1;

    public RuleResolver(OverridesVersion version, ProcessorMetrics metrics) {
        this.version = version;
        this.metrics = metrics;
    }

    /** Binds the global rules store (null when the topology runs without one). */
    public void bind(ReadOnlyKeyValueStore<String, AlertRule> overrides) {
        this.overrides = overrides;
    }

    public EffectiveRule resolve(RuleDefinition rule, String agentId) {
        long v = version.get();
        if (v != seenVersion) {
            cache.clear();
            seenVersion = v;
        }
        String key = rule.id() + '/' + agentId;
        EffectiveRule hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        EffectiveRule resolved = compute(rule, agentId);
        if (cache.size() > 200_000) {
            cache.clear();
        }
        cache.put(key, resolved);
        return resolved;
    }

    private EffectiveRule compute(RuleDefinition rule, String agentId) {
        EffectiveRule base = defaults.computeIfAbsent(rule.id(), id -> new EffectiveRule(rule, compileOrNull(rule)));
        if (overrides == null) {
            return base;
        }
        RuleDefinition merged = rule;
        for (String key : new String[] {rule.id(), rule.id() + '/' + agentId}) {
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
