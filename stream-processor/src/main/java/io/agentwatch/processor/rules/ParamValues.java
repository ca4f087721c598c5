package io.agentwatch.processor.rules;

import io.agentwatch.service.Durations;
import java.util.regex.Pattern;

/**
 * Parses a rule parameter as the rules file and overrides write it: a plain number ({@code 100000}, {@code 0.5}),
 * a percentage ({@code 5%} is 0.05) or a duration ({@code 250ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d}),
 * which becomes milliseconds, as durations do in the condition language.
 */
public final class ParamValues {
    /** A plain decimal number; Double.parseDouble alone would also take "1d" (a double literal) as 1.0. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private ParamValues() {
    }

    /** The value; an {@link IllegalArgumentException} naming the accepted forms when the text is none of them. */
    public static double parse(String text) {
        String s = text.trim();
        if (s.endsWith("%")) {
            String number = s.substring(0, s.length() - 1).trim();
            if (!NUMBER.matcher(number).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a percentage");
            }
            return Double.parseDouble(number) / 100;
        }
        if (NUMBER.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        try {
            return Durations.parse(s).toMillis();
        } catch (IllegalArgumentException notADuration) {
            throw new IllegalArgumentException("'" + text + "' is not a number, a percentage (5%) or a duration (30s, 15m, 1d)");
        }
    }
}
