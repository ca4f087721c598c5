package io.agentwatch.processor.detect;

import io.agentwatch.processor.rules.BaselineMetric;
import io.agentwatch.processor.rules.Bindings;
import io.agentwatch.processor.rules.EventVariable;
import io.agentwatch.processor.rules.WindowMetric;
import io.agentwatch.processor.stats.Baselines;
import io.agentwatch.processor.stats.Pane;
import io.agentwatch.schema.AgentEvent;

/**
 * What a condition reads, pointed at one scope (and for event rules one event) at a time. One instance per
 * processor, re-pointed for every evaluation: no allocation.
 */
final class ScopeBindings implements Bindings {
    private ScopeState scope;
    private Baselines baselines;
    private long warmup;
    private AgentEvent event;

    ScopeBindings at(ScopeState scope, Baselines baselines, long warmup, AgentEvent event) {
        this.scope = scope;
        this.baselines = baselines;
        this.warmup = warmup;
        this.event = event;
        return this;
    }

    @Override
    public double window(WindowMetric metric, int windowMinutes) {
        if (scope == null || scope.windows == null) {
            return Double.NaN;
        }
        Pane pane = scope.windows.window(windowMinutes);
        return pane == null ? Double.NaN : pane.metric(metric);
    }

    @Override
    public double baseline(BaselineMetric metric) {
        return baselines == null ? Double.NaN : baselines.get(metric, warmup);
    }

    @Override
    public double event(EventVariable variable) {
        if (event == null) {
            return Double.NaN;
        }
        return switch (variable) {
            case ITERATION -> num(event.getIteration());
            case MAX_ITERATIONS -> num(event.getMaxIterations());
            case RETRY_COUNT -> num(event.getRetryCount());
            case TOKENS -> tokens(event);
            case RUN_TOKENS -> event.getOutcome() == null ? Double.NaN : tokens(event);
            case LATENCY -> num(event.getLatencyMs());
            case COST -> num(event.getCostUsd());
            case CONFIDENCE -> num(event.getConfidence());
        };
    }

    private static double tokens(AgentEvent e) {
        if (e.getInputTokens() == null && e.getOutputTokens() == null) {
            return Double.NaN;
        }
        return (e.getInputTokens() == null ? 0 : e.getInputTokens()) + (e.getOutputTokens() == null ? 0 : e.getOutputTokens());
    }

    private static double num(Number n) {
        return n == null ? Double.NaN : n.doubleValue();
    }
}
