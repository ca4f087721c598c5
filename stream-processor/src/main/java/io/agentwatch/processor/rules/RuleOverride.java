package io.agentwatch.processor.rules;

import io.agentwatch.schema.AlertRule;
import io.agentwatch.service.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies an {@link AlertRule} override from agent.rules to a rule of the rules file: every field the override
 * sets replaces the file's value, every null keeps it. Parameters arrive as strings; {@code window} and
 * {@code resolve_after} in params are durations, the others numbers. An override that does not make a valid rule
 * (bad number, a condition that does not compile) is refused with an {@link IllegalArgumentException} naming the
 * field, and the caller keeps the file's rule.
 */
public final class RuleOverride {
    private RuleOverride() {
    }

    public static RuleDefinition apply(RuleDefinition base, AlertRule o) {
        Map<String, Double> params = new HashMap<>(base.params());
        Duration window = base.window();
        Duration resolveAfter = base.resolveAfter();
        if (o.getParams() != null) {
            for (Map.Entry<String, String> e : o.getParams().entrySet()) {
                String key = e.getKey();
                String value = e.getValue();
                switch (key) {
                    case "window" -> window = duration(key, value);
                    case "resolve_after" -> resolveAfter = duration(key, value);
                    default -> {
                        if (!base.kind().accepts(key)) {
                            throw new IllegalArgumentException("override of " + base.id() + ": unknown params." + key + "; a "
                                    + base.kind().name().toLowerCase(java.util.Locale.ROOT) + " rule knows " + base.kind().knownParams());
                        }
                        try {
                            params.put(key, ParamValues.parse(value));
                        } catch (IllegalArgumentException ex) {
                            throw new IllegalArgumentException("override of " + base.id() + ": params." + key + ": " + ex.getMessage());
                        }
                    }
                }
            }
        }
        if (base.kind() == RuleKind.WINDOW && (window.toMillis() % 60_000 != 0 || window.toMinutes() < 1 || window.toMinutes() > 60)) {
            throw new IllegalArgumentException("override of " + base.id() + ": window must be whole minutes between 1m and 60m");
        }
        RuleDefinition merged = new RuleDefinition(
                base.id(),
                base.alertname(),
                base.kind(),
                o.getEnabled() != null ? o.getEnabled() : base.enabled(),
                o.getCondition() != null ? o.getCondition() : base.condition(),
                window,
                o.getThreshold() != null ? o.getThreshold() : base.threshold(),
                o.getMinEvents() != null ? o.getMinEvents() : base.minEvents(),
                o.getForMs() != null ? nonNegative("for_ms", o.getForMs()) : base.forDuration(),
                o.getRepeatIntervalMs() != null ? nonNegative("repeat_interval_ms", o.getRepeatIntervalMs()) : base.repeatInterval(),
                resolveAfter,
                o.getSeverity() != null ? o.getSeverity() : base.severity(),
                base.segmentation(),
                o.getSuggestedAction() != null ? o.getSuggestedAction() : base.action(),
                base.control(),
                params,
                base.summary(),
                base.description());
        if (merged.kind() == RuleKind.WINDOW || merged.kind() == RuleKind.EVENT) {
            merged.compile();
        }
        return merged;
    }

    private static Duration nonNegative(String field, long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + ms);
        }
        return Duration.ofMillis(ms);
    }

    private static Duration duration(String key, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params." + key + ": " + e.getMessage(), e);
        }
    }
}
