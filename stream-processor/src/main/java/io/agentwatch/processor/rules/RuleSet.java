package io.agentwatch.processor.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validated rules of a rules file: unique ids, conditions that compile. Immutable; the processors take the
 * rules of their kind from it, and the window lengths it needs.
 */
public final class RuleSet {
    private final Map<String, RuleDefinition> byId;
    private final String source;

    public RuleSet(List<RuleDefinition> rules, String source) {
        Map<String, RuleDefinition> map = new LinkedHashMap<>();
        for (RuleDefinition r : rules) {
            if (map.put(r.id(), r) != null) {
                throw new RulesException(source + ": rule id '" + r.id() + "' is used twice");
            }
            if (r.kind() == RuleKind.WINDOW || r.kind() == RuleKind.EVENT) {
                try {
                    r.compile();
                } catch (ConditionException e) {
                    throw new RulesException(source + ": " + e.getMessage(), e);
                }
            }
        }
        this.byId = Collections.unmodifiableMap(map);
        this.source = source;
    }

    public List<RuleDefinition> all() {
        return new ArrayList<>(byId.values());
    }

    public Optional<RuleDefinition> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The enabled-or-not rules of one kind, in file order (overrides may enable a disabled rule). */
    public List<RuleDefinition> ofKind(RuleKind kind) {
        return byId.values().stream().filter(r -> r.kind() == kind).toList();
    }

    /** Where the rules came from, for logs. */
    public String source() {
        return source;
    }

    /** Window lengths (minutes) the window rules read, including their default windows. */
    public Set<Integer> windowMinutes() {
        Set<Integer> windows = new TreeSet<>();
        for (RuleDefinition r : ofKind(RuleKind.WINDOW)) {
            windows.add(r.windowMinutes());
            windows.addAll(r.compile().windows());
        }
        return windows;
    }

    /** The segmentations window rules use besides per agent. */
    public Set<Segmentation> segmentations() {
        Set<Segmentation> set = new java.util.LinkedHashSet<>();
        for (RuleDefinition r : ofKind(RuleKind.WINDOW)) {
            if (!r.segmentation().perAgent()) {
                set.add(r.segmentation());
            }
        }
        return set;
    }
}
