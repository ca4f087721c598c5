package io.agentwatch.processor.topology;

/** Names of the state stores; they name the changelog topics too, so they never change (a golden test checks). */
public final class StoreNames {
    public static final String AGENT_PANES = "agent-panes-store";
    public static final String AGENT_SCOPES = "agent-scopes-store";
    public static final String AGENT_EVALUATIONS = "agent-evaluations-store";
    public static final String AGENT_RULES_HOOK = "agent-rules-flush-store";
    public static final String RULE_OVERRIDES = "rule-overrides-store";

    private StoreNames() {
    }
}
