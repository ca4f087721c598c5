package io.agentwatch.processor.rules;

/** A condition that does not parse or names something unknown. The message names the rule and the position. */
public final class ConditionException extends IllegalArgumentException {
    private final String ruleId;
    private final int position;

    public ConditionException(String ruleId, String condition, int position, String problem) {
        super("rule " + ruleId + ": condition '" + condition + "': " + problem + " at position " + (position + 1)
                + "\n    " + condition + "\n    " + " ".repeat(Math.max(0, position)) + "^");
        this.ruleId = ruleId;
        this.position = position;
    }

    public String ruleId() {
        return ruleId;
    }

    /** Zero-based character offset of the problem in the condition. */
    public int position() {
        return position;
    }
}
