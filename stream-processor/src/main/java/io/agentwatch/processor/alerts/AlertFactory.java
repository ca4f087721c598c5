package io.agentwatch.processor.alerts;

import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertScope;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.service.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a rule, its state and an {@link AlertContext} into an {@link Alert} record. The alert id is derived from
 * the fingerprint, the status and the event time, so the same input always produces the same record (a replay
 * after a crash, or a backtest, gives identical alerts).
 */
public final class AlertFactory {
    private AlertFactory() {
    }

    public static Alert create(RuleDefinition rule, AlertState state, Emit emit, long now, AlertContext ctx) {
        if (emit == Emit.NOTHING) {
            throw new IllegalArgumentException("nothing to emit");
        }
        AlertStatus status = emit == Emit.FIRING ? AlertStatus.FIRING : AlertStatus.RESOLVED;
        if (status == AlertStatus.FIRING) {
            state.lastValue = ctx.value;
            state.lastThreshold = ctx.threshold;
            state.lastBaseline = ctx.baseline;
        } else if (Double.isNaN(ctx.value)) {
            // an occurrence-driven alert resolves with no measurement of its own: report what fired it
            ctx.numbers(state.lastValue, state.lastThreshold, state.lastBaseline);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", rule.alertname());
        labels.put("severity", rule.severity().name().toLowerCase(Locale.ROOT));
        labels.put("rule_id", rule.id());
        if (ctx.agentId != null) {
            labels.put("agent_id", ctx.agentId);
        }
        if (ctx.tenant != null) {
            labels.put("tenant", ctx.tenant);
        }
        if (ctx.sessionId != null) {
            labels.put("session_id", ctx.sessionId);
        }
        if (ctx.traceId != null) {
            labels.put("trace_id", ctx.traceId);
        }
        labels.putAll(ctx.labels);
        if (state.causedBy() != null) {
            labels.put("caused_by", state.causedBy());
        }
        Map<String, Object> vars = new LinkedHashMap<>(labels);
        vars.put("value", ctx.value);
        vars.put("threshold", ctx.threshold);
        vars.put("baseline", ctx.baseline);
        vars.put("ratio", ctx.baseline > 0 ? Math.round(ctx.value / ctx.baseline * 10) / 10.0 : Double.NaN);
        vars.put("rule_threshold", rule.threshold());
        vars.put("window", Durations.format(rule.window()));
        vars.putAll(ctx.vars);
        String summary = Templates.render(rule.summary(), vars::get);
        if (summary.isBlank()) {
            summary = rule.alertname() + (ctx.agentId != null ? " for " + ctx.agentId : "");
        }
        if (status == AlertStatus.RESOLVED) {
            summary = "resolved: " + summary;
        }
        String idSeed = ctx.fingerprint + "|" + status + "|" + now;
        return Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString())
                .setFingerprint(ctx.fingerprint)
                .setRuleId(rule.id())
                .setAlertname(rule.alertname())
                .setStatus(status)
                .setSeverity(rule.severity())
                .setScope(AlertScope.newBuilder()
                        .setTenant(ctx.tenant)
                        .setAgentId(ctx.agentId)
                        .setSessionId(ctx.sessionId)
                        .setTraceId(ctx.traceId)
                        .build())
                .setStartsAt(Instant.ofEpochMilli(state.activeSince()))
                .setEndsAt(status == AlertStatus.RESOLVED ? Instant.ofEpochMilli(now) : null)
                .setWindowStart(ctx.windowStart == null ? null : Instant.ofEpochMilli(ctx.windowStart))
                .setWindowEnd(ctx.windowEnd == null ? null : Instant.ofEpochMilli(ctx.windowEnd))
                .setValue(Double.isNaN(ctx.value) ? null : ctx.value)
                .setThreshold(Double.isNaN(ctx.threshold) ? null : ctx.threshold)
                .setBaseline(Double.isNaN(ctx.baseline) ? null : ctx.baseline)
                .setSummary(summary)
                .setDescription(Templates.render(rule.description(), vars::get))
                .setLabels(labels)
                .setEvidenceTraceIds(ctx.evidence)
                .setRootCauseAgentId(ctx.rootCauseAgentId)
                .setSuggestedAction(rule.action())
                .build();
    }
}
