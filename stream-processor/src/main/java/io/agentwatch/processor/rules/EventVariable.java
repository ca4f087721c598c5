package io.agentwatch.processor.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an event rule can read from the single event it is evaluated on. A field the event lacks reads as NaN. */
public enum EventVariable {
    ITERATION("the step's iteration number"),
    MAX_ITERATIONS("the agent's iteration limit"),
    RETRY_COUNT("how many times the step was retried"),
    TOKENS("input + output tokens of the step"),
    RUN_TOKENS("tokens of a finished run (an event with an outcome), else NaN"),
    LATENCY("latency of the step, ms"),
    COST("cost of the step, USD"),
    CONFIDENCE("confidence of the step");

    private final String description;

    EventVariable(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public String ruleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventVariable> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.ruleName().equals(name)).findFirst();
    }
}
