package io.agentwatch.processor.rules;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and compiles the rule condition language, small enough to read at a glance:
 *
 * <pre>
 *   error_rate_10m > threshold
 *   error_rate_5m > 0.15 and latency_p95_5m > 10s
 *   tokens_per_request_5m > 1.5 * baseline(tokens_per_request)
 *   max_iterations > 0 and iteration >= max_iterations
 * </pre>
 *
 * Grammar: {@code or} / {@code and} / {@code not}, comparisons ({@code > >= < <= == !=}), arithmetic
 * ({@code + - * /}), parentheses, numbers with an optional unit ({@code ms s m h} give milliseconds, {@code %}
 * divides by 100), {@code baseline(name)}, {@code min(a, b)}, {@code max(a, b)}, and names: window metrics with a
 * window suffix ({@code error_rate_10m}) or without one (the rule's window), event variables (event rules), and
 * the rule's parameters ({@code threshold}, {@code min_events}, any name under {@code params}). Every error names
 * the rule and the position.
 */
public final class ConditionCompiler {
    private static final Pattern WINDOWED = Pattern.compile("([a-z0-9_]+?)_(\\d+)(m|h)");

    private final String ruleId;
    private final String text;
    private final RuleKind kind;
    private final int defaultWindowMinutes;
    private final Map<String, Double> params;
    private int pos;
    private final Set<Integer> windows = new TreeSet<>();
    private final Set<WindowMetric> metrics = new HashSet<>();
    private final Set<BaselineMetric> baselines = new HashSet<>();
    private final Set<EventVariable> eventVariables = new HashSet<>();
    private Condition.Node firstValue;
    private Condition.Node firstThreshold;
    private boolean primaryUsesThreshold;
    private int thresholdReferences;
    private BaselineMetric firstBaseline;

    private ConditionCompiler(String ruleId, String text, RuleKind kind, int defaultWindowMinutes, Map<String, Double> params) {
        this.ruleId = ruleId;
        this.text = text;
        this.kind = kind;
        this.defaultWindowMinutes = defaultWindowMinutes;
        this.params = params;
    }

    /**
     * Compiles a condition.
     *
     * @param defaultWindowMinutes the rule's window, used by window metrics written without a suffix
     * @param params               the rule's parameters by name (threshold, min_events, and its own)
     */
    public static Condition compile(String ruleId, String text, RuleKind kind, int defaultWindowMinutes, Map<String, Double> params) {
        if (text == null || text.isBlank()) {
            throw new ConditionException(ruleId, String.valueOf(text), 0, "the condition is empty");
        }
        ConditionCompiler c = new ConditionCompiler(ruleId, text, kind, defaultWindowMinutes, params);
        Condition.Node root = c.or();
        c.skipSpace();
        if (c.pos < text.length()) {
            throw c.error("unexpected '" + text.charAt(c.pos) + "'");
        }
        return new Condition(text, root, c.firstValue, c.firstThreshold, c.firstBaseline, c.windows, c.metrics, c.baselines, c.eventVariables);
    }

    private Condition.Node or() {
        Condition.Node left = and();
        while (keyword("or")) {
            Condition.Node l = left;
            Condition.Node r = and();
            left = b -> (l.eval(b) != 0 || r.eval(b) != 0) ? 1 : 0;
        }
        return left;
    }

    private Condition.Node and() {
        Condition.Node left = not();
        while (keyword("and")) {
            Condition.Node l = left;
            Condition.Node r = not();
            left = b -> (l.eval(b) != 0 && r.eval(b) != 0) ? 1 : 0;
        }
        return left;
    }

    private Condition.Node not() {
        if (keyword("not")) {
            Condition.Node inner = not();
            return b -> inner.eval(b) != 0 ? 0 : 1;
        }
        return comparison();
    }

    private Condition.Node comparison() {
        int thresholdsBefore = thresholdReferences;
        Condition.Node left = sum();
        skipSpace();
        String op = null;
        for (String candidate : new String[] {">=", "<=", "==", "!=", ">", "<"}) {
            if (text.startsWith(candidate, pos)) {
                op = candidate;
                break;
            }
        }
        if (op == null) {
            return left;
        }
        pos += op.length();
        Condition.Node right = sum();
        // the alert reports the comparison that uses the rule's threshold, else the last one (guards come first)
        boolean usesThreshold = thresholdReferences > thresholdsBefore;
        if (!primaryUsesThreshold) {
            firstValue = left;
            firstThreshold = right;
            primaryUsesThreshold = usesThreshold;
        }
        Condition.Node l = left;
        return switch (op) {
            case ">" -> b -> l.eval(b) > right.eval(b) ? 1 : 0;
            case ">=" -> b -> l.eval(b) >= right.eval(b) ? 1 : 0;
            case "<" -> b -> l.eval(b) < right.eval(b) ? 1 : 0;
            case "<=" -> b -> l.eval(b) <= right.eval(b) ? 1 : 0;
            case "==" -> b -> l.eval(b) == right.eval(b) ? 1 : 0;
            default -> b -> {
                double x = l.eval(b);
                double y = right.eval(b);
                return !Double.isNaN(x) && !Double.isNaN(y) && x != y ? 1 : 0;
            };
        };
    }

    private Condition.Node sum() {
        Condition.Node left = product();
        while (true) {
            skipSpace();
            if (peek('+')) {
                pos++;
                Condition.Node l = left;
                Condition.Node r = product();
                left = b -> l.eval(b) + r.eval(b);
            } else if (peek('-')) {
                pos++;
                Condition.Node l = left;
                Condition.Node r = product();
                left = b -> l.eval(b) - r.eval(b);
            } else {
                return left;
            }
        }
    }

    private Condition.Node product() {
        Condition.Node left = unary();
        while (true) {
            skipSpace();
            if (peek('*')) {
                pos++;
                Condition.Node l = left;
                Condition.Node r = unary();
                left = b -> l.eval(b) * r.eval(b);
            } else if (peek('/')) {
                pos++;
                Condition.Node l = left;
                Condition.Node r = unary();
                left = b -> {
                    double d = r.eval(b);
                    return d == 0 ? Double.NaN : l.eval(b) / d;
                };
            } else {
                return left;
            }
        }
    }

    private Condition.Node unary() {
        skipSpace();
        if (peek('-')) {
            pos++;
            Condition.Node inner = unary();
            return b -> -inner.eval(b);
        }
        return atom();
    }

    private Condition.Node atom() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("the condition ends where a value is expected");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Condition.Node inner = or();
            expect(')');
            return inner;
        }
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            String name = identifier();
            skipSpace();
            if (peek('(')) {
                return function(name, start);
            }
            return name(name, start);
        }
        throw error("unexpected '" + c + "'");
    }

    private Condition.Node number() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        double value;
        try {
            value = Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(start, "'" + text.substring(start, pos) + "' is not a number");
        }
        int unitStart = pos;
        while (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '%')) {
            pos++;
        }
        String unit = text.substring(unitStart, pos);
        double scaled = switch (unit) {
            case "" -> value;
            case "ms" -> value;
            case "s" -> value * 1_000;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            case "%" -> value / 100;
            default -> throw error(unitStart, "unknown unit '" + unit + "' (use ms, s, m, h or %)");
        };
        return b -> scaled;
    }

    private Condition.Node function(String name, int start) {
        expect('(');
        switch (name) {
            case "baseline" -> {
                skipSpace();
                int argStart = pos;
                String arg = identifier();
                BaselineMetric metric = BaselineMetric.byName(arg).orElseThrow(() -> error(argStart,
                        "unknown baseline '" + arg + "'; known: " + names(BaselineMetric.values())));
                expect(')');
                baselines.add(metric);
                if (firstBaseline == null) {
                    firstBaseline = metric;
                }
                return b -> b.baseline(metric);
            }
            case "min", "max" -> {
                Condition.Node a = sum();
                expect(',');
                Condition.Node c = sum();
                expect(')');
                return name.equals("min") ? b -> Math.min(a.eval(b), c.eval(b)) : b -> Math.max(a.eval(b), c.eval(b));
            }
            default -> throw error(start, "unknown function '" + name + "' (use baseline, min or max)");
        }
    }

    private Condition.Node name(String name, int start) {
        if (name.equals("and") || name.equals("or") || name.equals("not")) {
            throw error(start, "'" + name + "' where a value is expected");
        }
        if (params.containsKey(name)) {
            if (name.equals("threshold")) {
                thresholdReferences++;
            }
            double value = params.get(name);
            return b -> value;
        }
        if (kind == RuleKind.EVENT) {
            EventVariable variable = EventVariable.byName(name).orElse(null);
            if (variable != null) {
                eventVariables.add(variable);
                return b -> b.event(variable);
            }
        }
        int window = defaultWindowMinutes;
        String metricName = name;
        Matcher m = WINDOWED.matcher(name);
        if (WindowMetric.byName(name).isEmpty() && m.matches()) {
            metricName = m.group(1);
            window = Integer.parseInt(m.group(2)) * (m.group(3).equals("h") ? 60 : 1);
        }
        WindowMetric metric = WindowMetric.byName(metricName).orElse(null);
        if (metric == null) {
            throw error(start, "unknown name '" + name + "'; known: window metrics " + names(WindowMetric.values())
                    + " (with a window suffix like _5m)"
                    + (kind == RuleKind.EVENT ? ", event variables " + names(EventVariable.values()) : "")
                    + ", parameters " + new TreeSet<>(params.keySet()));
        }
        if (window <= 0) {
            throw error(start, "'" + name + "' has no window: add a suffix like _5m or give the rule a window");
        }
        int w = window;
        windows.add(w);
        metrics.add(metric);
        return b -> b.window(metric, w);
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("a name is expected");
        }
        return text.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    private boolean keyword(String word) {
        skipSpace();
        if (text.regionMatches(true, pos, word, 0, word.length())) {
            int after = pos + word.length();
            if (after == text.length() || !(Character.isLetterOrDigit(text.charAt(after)) || text.charAt(after) == '_')) {
                pos = after;
                return true;
            }
        }
        if (word.equals("and") && text.startsWith("&&", pos)) {
            pos += 2;
            return true;
        }
        if (word.equals("or") && text.startsWith("||", pos)) {
            pos += 2;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpace();
        if (!peek(c)) {
            throw error(pos >= text.length() ? "'" + c + "' expected before the end" : "'" + c + "' expected, found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private ConditionException error(String problem) {
        return error(pos, problem);
    }

    private ConditionException error(int at, String problem) {
        return new ConditionException(ruleId, text, at, problem);
    }

    private static String names(Enum<?>[] values) {
        StringBuilder sb = new StringBuilder();
        for (Enum<?> v : values) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(v.name().toLowerCase(Locale.ROOT));
        }
        return "[" + sb + "]";
    }
}
