package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertFactory;
import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.schema.Alert;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * How the detectors send an alert: render it, forward it (keyed by fingerprint) to the alerts sink, count it, and
 * ask for a commit so that it leaves soon. A new incident of an agent that a cascade has reached is marked
 * {@code caused_by} the cascade's alert. Alerts are rare: nothing here is on the per-event path.
 */
final class AlertEmitter {
    private final ProcessorContext<String, Alert> context;
    private final ProcessorMetrics metrics;
    private final CascadeCauses causes;

    /** @param causes the cascades agents are downstream of; null for alerts that are never caused by one */
    AlertEmitter(ProcessorContext<String, Alert> context, ProcessorMetrics metrics, CascadeCauses causes) {
        this.context = context;
        this.metrics = metrics;
        this.causes = causes;
    }

    /**
     * Sends what the lifecycle decided. {@code newIncident}: the transition that produced {@code emit} started a
     * new incident (the alert was not FIRING before), which is when its cause is looked up.
     */
    void emit(RuleDefinition rule, AlertState state, Emit emit, boolean newIncident, long now, AlertContext ctx) {
        if (emit == Emit.NOTHING) {
            return;
        }
        if (emit == Emit.FIRING && newIncident) {
            state.causedBy(causes == null ? null : causes.causeOf(ctx.agentId(), now));
        }
        Alert alert = AlertFactory.create(rule, state, emit, now, ctx);
        context.forward(new Record<>(alert.getFingerprint(), alert, now));
        metrics.alert(rule.alertname(), rule.severity().name(), alert.getStatus().name());
        context.commit();
    }
}
