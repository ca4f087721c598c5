package io.agentwatch.processor.rules;

/**
 * What a compiled condition reads when it is evaluated: window metrics of one scope (an agent, or an agent and a
 * segment), its learned baselines, the fields of the current event (for event rules), and the rule's parameters.
 * Anything not available is NaN.
 */
public interface Bindings {
    double window(WindowMetric metric, int windowMinutes);

    double baseline(BaselineMetric metric);

    double event(EventVariable variable);
}
