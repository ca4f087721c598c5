package io.agentwatch.processor.rules;

import io.agentwatch.service.Durations;

/**
 * Parses a rule parameter as the rules file and overrides write it: a plain number ({@code 100000}, {@code 0.5}),
 * a percentage ({@code 5%} is 0.05) or a duration ({@code 250ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d}),
 * which becomes milliseconds, as durations do in the condition language.
 */
public final class ParamValues {
    private ParamValues() {
    }

    /** The value; an {@link IllegalArgumentException} naming the accepted forms when the text is none of them. */
    public static double parse(String text) {
        String s = text.trim();
        if (s.endsWith("%")) {
            try {
                return Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a percentage");
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException notANumber) {
            try {
                return Durations.parse(s).toMillis();
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException("'" + text + "' is not a number, a percentage (5%) or a duration (30s, 15m)");
            }
        }
    }
}
