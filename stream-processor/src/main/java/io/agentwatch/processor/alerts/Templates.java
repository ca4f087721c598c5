package io.agentwatch.processor.alerts;

import java.util.Locale;
import java.util.function.Function;

/**
 * Renders the summary and description templates of the rules file: {@code {name}} or {@code {name|format}} with
 * formats {@code pct} (0.123 -> 12.3%), {@code ms} (1840 -> 1.84s), {@code usd} ($0.0042), {@code int} (12,345).
 * Unknown names render as {@code ?} so that a typo shows in the alert rather than breaking it.
 */
public final class Templates {
    private Templates() {
    }

    public static String render(String template, Function<String, Object> vars) {
        if (template == null || template.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i) : -1;
            if (close < 0) {
                out.append(c);
                i++;
                continue;
            }
            String spec = template.substring(i + 1, close).trim();
            int bar = spec.indexOf('|');
            String name = bar < 0 ? spec : spec.substring(0, bar).trim();
            String format = bar < 0 ? "" : spec.substring(bar + 1).trim();
            out.append(format(vars.apply(name), format));
            i = close + 1;
        }
        return out.toString();
    }

    static String format(Object value, String format) {
        if (value == null) {
            return "?";
        }
        if (!(value instanceof Number n)) {
            return value.toString();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
            return "n/a";
        }
        return switch (format) {
            case "pct" -> String.format(Locale.ROOT, "%.1f%%", d * 100);
            case "ms" -> millis(d);
            case "usd" -> d >= 1 ? String.format(Locale.ROOT, "$%,.2f", d) : String.format(Locale.ROOT, "$%.4f", d);
            case "int" -> String.format(Locale.ROOT, "%,d", Math.round(d));
            default -> plain(d);
        };
    }

    private static String millis(double ms) {
        if (ms < 1_000) {
            return String.format(Locale.ROOT, "%.0fms", ms);
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.2fs", ms / 1_000);
        }
        long total = Math.round(ms / 1_000);
        return total / 60 + "m " + total % 60 + "s";
    }

    private static String plain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) d);
        }
        if (Math.abs(d) >= 100) {
            return String.format(Locale.ROOT, "%,.1f", d);
        }
        return String.format(Locale.ROOT, "%.3g", d);
    }
}
