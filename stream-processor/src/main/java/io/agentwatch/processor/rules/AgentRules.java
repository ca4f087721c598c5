package io.agentwatch.processor.rules;

/**
 * The effective rules of one agent, by the rule's index in its {@link RuleResolver}, resolved on first use.
 * Held by the agent's live state so that a hot-path lookup is an array access; {@link #version()} tells whether
 * overrides have changed since.
 */
public final class AgentRules {
    private final RuleResolver resolver;
    private final String agentId;
    private final long version;
    private final EffectiveRule[] resolved;

    AgentRules(RuleResolver resolver, String agentId, long version, int size) {
        this.resolver = resolver;
        this.agentId = agentId;
        this.version = version;
        this.resolved = new EffectiveRule[size];
    }

    public EffectiveRule get(int index) {
        EffectiveRule r = resolved[index];
        if (r == null) {
            r = resolver.compute(index, agentId);
            resolved[index] = r;
        }
        return r;
    }

    public long version() {
        return version;
    }
}
