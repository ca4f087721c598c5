package io.agentwatch.processor.rules;

import io.agentwatch.schema.Severity;
import io.agentwatch.schema.SuggestedAction;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One rule as the rules file (and any override) defines it: what fires it and how the alert behaves.
 *
 * @param id             stable id, the key of overrides on agent.rules
 * @param alertname      the alert's name, e.g. AgentErrorRateHigh
 * @param kind           which processor evaluates it
 * @param enabled        false switches it off
 * @param condition      the condition in the rule language (window and event rules)
 * @param window         the default window of window metrics written without a suffix
 * @param threshold      the {@code threshold} parameter
 * @param minEvents      window rules are evaluated only when the rule's window holds at least this many events
 * @param forDuration    how long the condition must hold (event time) before FIRING
 * @param repeatInterval a still-firing alert is sent again after this long; zero never
 * @param resolveAfter   event-driven alerts resolve after this long without a new occurrence
 * @param severity       the alert's severity
 * @param segmentation   per agent, or per agent and one more dimension
 * @param action         the suggested action carried by the alert
 * @param control        whether a FIRING alert also writes a ControlCommand (when control is enabled)
 * @param params         the rule's other named parameters, usable in the condition and by detectors
 * @param summary        summary template
 * @param description    description template
 */
public record RuleDefinition(
        String id,
        String alertname,
        RuleKind kind,
        boolean enabled,
        String condition,
        Duration window,
        double threshold,
        long minEvents,
        Duration forDuration,
        Duration repeatInterval,
        Duration resolveAfter,
        Severity severity,
        Segmentation segmentation,
        SuggestedAction action,
        boolean control,
        Map<String, Double> params,
        String summary,
        String description) {

    public RuleDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(alertname, "alertname");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(forDuration, "forDuration");
        Objects.requireNonNull(repeatInterval, "repeatInterval");
        Objects.requireNonNull(resolveAfter, "resolveAfter");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(segmentation, "segmentation");
        Objects.requireNonNull(action, "action");
        params = Map.copyOf(params);
        summary = summary == null ? "" : summary;
        description = description == null ? "" : description;
    }

    /** A named parameter: threshold, min_events, or one from params; NaN when absent. */
    public double param(String name) {
        return switch (name) {
            case "threshold" -> threshold;
            case "min_events" -> minEvents;
            default -> params.getOrDefault(name, Double.NaN);
        };
    }

    /** A named parameter, or {@code dflt} when the rule does not set it. */
    public double param(String name, double dflt) {
        double v = param(name);
        return Double.isNaN(v) ? dflt : v;
    }

    /** {@code threshold}, or {@code dflt} when the rule does not set it. */
    public double thresholdOr(double dflt) {
        return Double.isNaN(threshold) ? dflt : threshold;
    }

    /** Every parameter by name, as the condition compiler sees them. */
    public Map<String, Double> allParams() {
        java.util.Map<String, Double> all = new java.util.HashMap<>(params);
        if (!Double.isNaN(threshold)) {
            all.put("threshold", threshold);
        }
        all.put("min_events", (double) minEvents);
        return all;
    }

    public int windowMinutes() {
        return (int) window.toMinutes();
    }

    /** Compiles the condition (window and event rules). */
    public Condition compile() {
        return ConditionCompiler.compile(id, condition, kind, windowMinutes(), allParams());
    }
}
