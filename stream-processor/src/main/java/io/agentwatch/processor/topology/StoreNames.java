package io.agentwatch.processor.topology;

/** Names of the state stores; they name the changelog topics too, so they never change (a golden test checks). */
public final class StoreNames {
    public static final String AGENT_PANES = "agent-panes-store";
    public static final String AGENT_SCOPES = "agent-scopes-store";
    public static final String AGENT_EVALUATIONS = "agent-evaluations-store";
    public static final String AGENT_RULES_HOOK = "agent-rules-flush-store";
    public static final String RULE_OVERRIDES = "rule-overrides-store";

    public static final String SESSIONS = "sessions-store";
    public static final String AGENT_DAILY_BUDGETS = "agent-daily-budgets-store";
    public static final String AGENT_TOOLS = "agent-tools-store";
    public static final String AGENT_SILENCE = "agent-silence-store";
    public static final String AGENT_RELEASES = "agent-releases-store";
    public static final String AGENT_DETECTORS_HOOK = "agent-detectors-flush-store";
    public static final String TRACE_LINEAGE = "trace-lineage-store";
    public static final String TRACE_LINEAGE_HOOK = "trace-lineage-flush-store";
    public static final String CASCADE_CAUSES = "cascade-causes-store";
    public static final String CONTROL_INCIDENTS = "control-incidents-store";

    private StoreNames() {
    }
}
