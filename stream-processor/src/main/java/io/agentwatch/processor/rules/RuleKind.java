package io.agentwatch.processor.rules;

/**
 * How a rule is evaluated, which decides the processor that owns it.
 * WINDOW rules are evaluated on an event-time tick over an agent's sliding windows; EVENT rules on every event;
 * the other kinds are detectors with their own state, configured by the rule's parameters.
 */
public enum RuleKind {
    WINDOW,
    EVENT,
    SESSION_BUDGET,
    DAILY_BUDGET,
    LOOP,
    TOOL_TIMEOUT_CHAIN,
    SILENCE,
    CASCADE,
    RELEASE_REGRESSION
}
