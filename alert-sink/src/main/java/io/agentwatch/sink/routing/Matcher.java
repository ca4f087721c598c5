package io.agentwatch.sink.routing;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's syntax: {@code name="value"}, {@code name!="value"}, {@code name=~"regex"},
 * {@code name!~"regex"}. Regular expressions are anchored at both ends, as Alertmanager anchors them; a label that
 * is absent matches as the empty string, so {@code team=""} selects alerts without a team.
 */
public final class Matcher {
    /** The four operators. */
    public enum Op {
        EQ("="), NE("!="), RE("=~"), NRE("!~");

        final String text;

        Op(String text) {
            this.text = text;
        }
    }

    /** Alertmanager's label names, plus '.' and '-' because segment labels may carry attribute names. */
    static final String LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_.-]*";

    private final String name;
    private final Op op;
    private final String value;
    private final Pattern pattern;

    public Matcher(String name, Op op, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.op = Objects.requireNonNull(op, "op");
        this.value = Objects.requireNonNull(value, "value");
        if (!name.matches(LABEL_NAME)) {
            throw new IllegalArgumentException("'" + name + "' is not a label name (letters, digits, '_', '.', '-')");
        }
        if (op == Op.RE || op == Op.NRE) {
            try {
                this.pattern = Pattern.compile("^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + value + "' is not a regular expression: " + e.getDescription(), e);
            }
        } else {
            this.pattern = null;
        }
    }

    /** Parses {@code name<op>value}; the value may be in double quotes (with \" and \\ escapes) or bare. */
    public static Matcher parse(String text) {
        String s = text == null ? "" : text.trim();
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.' || s.charAt(i) == '-')) {
            i++;
        }
        String name = s.substring(0, i);
        String rest = s.substring(i).stripLeading();
        Op op;
        if (rest.startsWith("=~")) {
            op = Op.RE;
        } else if (rest.startsWith("!~")) {
            op = Op.NRE;
        } else if (rest.startsWith("!=")) {
            op = Op.NE;
        } else if (rest.startsWith("=")) {
            op = Op.EQ;
        } else {
            throw new IllegalArgumentException("'" + text + "' is not a matcher: use name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no label name before " + op.text);
        }
        String raw = rest.substring(op.text.length()).strip();
        return new Matcher(name, op, unquote(raw, text));
    }

    private static String unquote(String raw, String text) {
        if (!raw.startsWith("\"")) {
            return raw;
        }
        if (raw.length() < 2 || !raw.endsWith("\"")) {
            throw new IllegalArgumentException("'" + text + "' has an unterminated quoted value");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                char next = raw.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQ -> actual.equals(value);
            case NE -> !actual.equals(value);
            case RE -> pattern.matcher(actual).matches();
            case NRE -> !pattern.matcher(actual).matches();
        };
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + op.text + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
