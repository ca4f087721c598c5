package io.agentwatch.processor.rules;

/**
 * A rule as it applies to one agent right now: the rules file's definition with the rule-wide and the agent's
 * override applied, and its condition compiled.
 */
public record EffectiveRule(RuleDefinition definition, Condition condition) {
    public boolean enabled() {
        return definition.enabled();
    }
}
