package io.agentwatch.processor.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentwatch.schema.Severity;
import io.agentwatch.schema.SuggestedAction;
import io.agentwatch.service.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rules file (YAML): {@code defaults} that apply to every rule, then {@code rules}, each with an id, an
 * alertname, a kind, a condition and its parameters. Every problem stops loading with a message that names the
 * file, the rule and the field; unknown fields are errors too (a typo must not silently keep a default).
 */
public final class RulesFile {
    public static final String DEFAULT_RESOURCE = "/io/agentwatch/processor/default-rules.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("id", "alertname", "kind", "enabled", "condition", "window", "threshold",
            "min_events", "for", "repeat_interval", "resolve_after", "severity", "segment_by", "suggested_action", "control",
            "params", "summary", "description");
    private static final Set<String> DEFAULT_FIELDS = Set.of("for", "repeat_interval", "resolve_after", "severity", "segment_by",
            "suggested_action", "control", "window", "min_events");

    private RulesFile() {
    }

    /** The rules shipped with agentwatch. */
    public static RuleSet defaults() {
        try (InputStream in = RulesFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new RulesException("the default rules are missing from the classpath: " + DEFAULT_RESOURCE);
            }
            return parse(YAML.readTree(in), "default rules");
        } catch (IOException e) {
            throw new RulesException("cannot read the default rules: " + e.getMessage(), e);
        }
    }

    public static RuleSet load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RulesException("rules file " + file + " does not exist or is not a file");
        }
        try {
            return parse(YAML.readTree(file.toFile()), "rules file " + file);
        } catch (IOException e) {
            throw new RulesException("rules file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text (tests, backtests with inline rules). */
    public static RuleSet parse(String yaml, String source) {
        try {
            return parse(YAML.readTree(yaml), source);
        } catch (IOException e) {
            throw new RulesException(source + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static RuleSet parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new RulesException(source + ": expected a mapping with 'defaults' and 'rules'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("defaults") && !name.equals("rules")) {
                throw new RulesException(source + ": unknown top-level field '" + name + "' (expected defaults, rules)");
            }
        }
        JsonNode defaults = root.path("defaults");
        if (!defaults.isMissingNode()) {
            checkFields(defaults, DEFAULT_FIELDS, source + ": defaults");
        }
        JsonNode rules = root.path("rules");
        if (!rules.isArray() || rules.isEmpty()) {
            throw new RulesException(source + ": 'rules' must be a non-empty list");
        }
        List<RuleDefinition> list = new ArrayList<>();
        int index = 0;
        for (JsonNode node : rules) {
            index++;
            String id = node.path("id").asText("");
            String where = source + ": rule " + (id.isEmpty() ? "#" + index : "'" + id + "'");
            if (id.isEmpty()) {
                throw new RulesException(where + ": missing 'id'");
            }
            if (!id.matches("[a-z0-9][a-z0-9-]*")) {
                throw new RulesException(where + ": 'id' must be lower-case letters, digits and hyphens");
            }
            checkFields(node, FIELDS, where);
            list.add(rule(node, defaults, where));
        }
        return new RuleSet(list, source);
    }

    private static RuleDefinition rule(JsonNode node, JsonNode defaults, String where) {
        String id = node.get("id").asText();
        String alertname = required(node, "alertname", where);
        RuleKind kind = enumValue(RuleKind.class, required(node, "kind", where), "kind", where);
        String condition = text(node, "condition");
        if ((kind == RuleKind.WINDOW || kind == RuleKind.EVENT) && condition == null) {
            throw new RulesException(where + ": a " + kind.name().toLowerCase(Locale.ROOT) + " rule needs a 'condition'");
        }
        Duration window = duration(node, defaults, "window", kind == RuleKind.WINDOW ? null : "0", where);
        if (kind == RuleKind.WINDOW && (window == null || window.isZero())) {
            window = null;
        }
        if (kind == RuleKind.WINDOW && window != null && (window.toMillis() % 60_000 != 0 || window.toMinutes() > 60)) {
            throw new RulesException(where + ": 'window' must be whole minutes between 1m and 60m, was " + Durations.format(window));
        }
        Map<String, Double> params = new LinkedHashMap<>();
        JsonNode p = node.path("params");
        if (!p.isMissingNode()) {
            if (!p.isObject()) {
                throw new RulesException(where + ": 'params' must be a mapping of names to numbers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!kind.accepts(e.getKey())) {
                    throw new RulesException(where + ": unknown params." + e.getKey() + "; a " + kind.name().toLowerCase(Locale.ROOT)
                            + " rule knows " + kind.knownParams());
                }
                params.put(e.getKey(), number(e.getValue(), "params." + e.getKey(), where));
            }
        }
        JsonNode segment = pick(node, defaults, "segment_by");
        Segmentation segmentation = Segmentation.PER_AGENT;
        if (segment != null) {
            List<String> items = new ArrayList<>();
            if (segment.isArray()) {
                segment.forEach(s -> items.add(s.asText()));
            } else {
                items.add(segment.asText());
            }
            try {
                segmentation = Segmentation.parse(items);
            } catch (IllegalArgumentException e) {
                throw new RulesException(where + ": 'segment_by': " + e.getMessage(), e);
            }
        }
        JsonNode thresholdNode = node.get("threshold");
        JsonNode minEventsNode = pick(node, defaults, "min_events");
        return new RuleDefinition(
                id,
                alertname,
                kind,
                !node.has("enabled") || node.get("enabled").asBoolean(true),
                condition,
                window == null ? Duration.ofMinutes(10) : window,
                thresholdNode == null ? Double.NaN : number(thresholdNode, "threshold", where),
                minEventsNode == null ? 0 : (long) number(minEventsNode, "min_events", where),
                duration(node, defaults, "for", "0", where),
                duration(node, defaults, "repeat_interval", "4h", where),
                duration(node, defaults, "resolve_after", "10m", where),
                enumValue(Severity.class, textOr(node, defaults, "severity", "warning"), "severity", where),
                segmentation,
                enumValue(SuggestedAction.class, textOr(node, defaults, "suggested_action", "none"), "suggested_action", where),
                pick(node, defaults, "control") != null && pick(node, defaults, "control").asBoolean(),
                params,
                text(node, "summary"),
                text(node, "description"));
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new RulesException(where + ": expected a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new RulesException(where + ": unknown field '" + name + "'; known fields: " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static JsonNode pick(JsonNode node, JsonNode defaults, String field) {
        if (node.has(field)) {
            return node.get(field);
        }
        return defaults.has(field) ? defaults.get(field) : null;
    }

    private static String required(JsonNode node, String field, String where) {
        String v = text(node, field);
        if (v == null || v.isBlank()) {
            throw new RulesException(where + ": missing '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String textOr(JsonNode node, JsonNode defaults, String field, String dflt) {
        JsonNode v = pick(node, defaults, field);
        return v == null ? dflt : v.asText();
    }

    private static Duration duration(JsonNode node, JsonNode defaults, String field, String dflt, String where) {
        JsonNode v = pick(node, defaults, field);
        String text = v == null ? dflt : v.asText();
        if (text == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new RulesException(where + ": '" + field + "': " + e.getMessage(), e);
        }
    }

    private static double number(JsonNode v, String field, String where) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        String text = v.asText().trim();
        try {
            return ParamValues.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RulesException(where + ": '" + field + "' must be a number, a percentage or a duration, was '" + text + "'", e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field, String where) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RulesException(where + ": '" + field + "' must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", was '" + text + "'", e);
        }
    }
}
