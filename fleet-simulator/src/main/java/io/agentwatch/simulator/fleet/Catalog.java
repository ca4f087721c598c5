package io.agentwatch.simulator.fleet;

import java.util.List;

/**
 * The fixed menus the fleet is drawn from: models (with the share of agents that use each), tools, tenants,
 * workflows and agent roles. Lists, never hash-ordered collections, so that a seed picks the same entries on
 * every run.
 */
public final class Catalog {
    public static final List<ModelProfile> MODELS = List.of(
            new ModelProfile("gpt-4o", "openai", 1800, 350, 2.50, 10.00, 1500, "premium"),
            new ModelProfile("gpt-4o-mini", "openai", 1500, 300, 0.15, 0.60, 900, "economy"),
            new ModelProfile("claude-sonnet-4", "anthropic", 2200, 450, 3.00, 15.00, 1900, "premium"),
            new ModelProfile("claude-3-5-haiku", "anthropic", 1400, 250, 0.80, 4.00, 800, "standard"),
            new ModelProfile("llama-3.3-70b", "groq", 1600, 320, 0.59, 0.79, 600, "economy"));

    /** Share of agents per model, in the order of {@link #MODELS}. */
    public static final double[] MODEL_SHARE = {0.20, 0.30, 0.20, 0.20, 0.10};

    public static final List<ToolProfile> TOOLS = List.of(
            new ToolProfile("web_search", 700, 10_000, false),
            new ToolProfile("sql_query", 250, 8_000, false),
            new ToolProfile("http_get", 400, 8_000, false),
            new ToolProfile("code_exec", 1200, 15_000, false),
            new ToolProfile("crm_lookup", 200, 5_000, false),
            new ToolProfile("send_email", 300, 5_000, true),
            new ToolProfile("issue_refund", 350, 5_000, true),
            new ToolProfile("calculator", 20, 2_000, false),
            new ToolProfile("ticket_update", 250, 5_000, false),
            new ToolProfile("calendar_lookup", 180, 5_000, false));

    public static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella", "hooli");

    /** Solo agent roles with the workflow each belongs to: {role, workflow}. */
    public static final List<String[]> ROLES = List.of(
            new String[] {"support-triage", "customer-support"},
            new String[] {"refund-handler", "customer-support"},
            new String[] {"order-tracker", "customer-support"},
            new String[] {"sales-researcher", "sales"},
            new String[] {"lead-qualifier", "sales"},
            new String[] {"sql-analyst", "analytics"},
            new String[] {"report-writer", "analytics"},
            new String[] {"code-reviewer", "engineering"},
            new String[] {"test-fixer", "engineering"},
            new String[] {"doc-summarizer", "back-office"},
            new String[] {"contract-reviewer", "back-office"},
            new String[] {"invoice-matcher", "back-office"});

    /** Names of the three agents of a crew (hand-off chain), and the workflow crews run. */
    public static final List<String> CREW_ROLES = List.of("orchestrator", "researcher", "fact-checker");
    public static final String CREW_WORKFLOW = "deep-research";

    private Catalog() {
    }
}
