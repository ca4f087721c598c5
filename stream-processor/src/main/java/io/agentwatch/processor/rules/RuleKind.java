package io.agentwatch.processor.rules;

import java.util.Set;

/**
 * How a rule is evaluated, which decides the processor that owns it.
 * WINDOW rules are evaluated on an event-time tick over an agent's sliding windows; EVENT rules on every event;
 * the other kinds are detectors with their own state, configured by the rule's {@code threshold}, {@code min_events}
 * and the parameters listed here (a parameter a detector does not know is refused, so a typo never keeps a default).
 */
public enum RuleKind {
    WINDOW(null),
    EVENT(null),
    SESSION_BUDGET(Set.of("max_tokens", "max_cost", "idle_timeout")),
    DAILY_BUDGET(Set.of("max_tokens", "max_cost")),
    LOOP(Set.of("max_retries", "ngram_max", "ngram_repeats", "idle_timeout")),
    TOOL_TIMEOUT_CHAIN(Set.of()),
    SILENCE(Set.of("min_gap", "max_gap", "warmup", "forget_after")),
    CASCADE(Set.of("within", "idle_timeout", "caused_by_window")),
    RELEASE_REGRESSION(Set.of("min_runs", "error_margin", "latency_ratio", "cost_ratio", "baseline_max_age"));

    private final Set<String> params;

    RuleKind(Set<String> params) {
        this.params = params;
    }

    /** Whether a rule of this kind takes the named parameter (window and event rules take any: their conditions name them). */
    public boolean accepts(String param) {
        return params == null || params.contains(param);
    }

    /** The parameters a detector of this kind reads, sorted; empty for window and event rules (any name goes). */
    public Set<String> knownParams() {
        return params == null ? Set.of() : new java.util.TreeSet<>(params);
    }
}
