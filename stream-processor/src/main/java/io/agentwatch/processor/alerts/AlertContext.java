package io.agentwatch.processor.alerts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about one alert occurrence besides its rule and state: the scope, the numbers, the evidence.
 * Built by the detector that raises it; rendered into an {@link io.agentwatch.schema.Alert} by {@link AlertFactory}.
 */
public final class AlertContext {
    String fingerprint;
    String tenant;
    String agentId;
    String sessionId;
    String traceId;
    final Map<String, String> labels = new LinkedHashMap<>();
    double value = Double.NaN;
    double threshold = Double.NaN;
    double baseline = Double.NaN;
    Long windowStart;
    Long windowEnd;
    List<String> evidence = List.of();
    String rootCauseAgentId;
    final Map<String, Object> vars = new LinkedHashMap<>();

    public AlertContext fingerprint(String fingerprint) {
        this.fingerprint = fingerprint;
        return this;
    }

    public AlertContext agent(String agentId, String tenant) {
        this.agentId = agentId;
        this.tenant = tenant;
        return this;
    }

    public AlertContext session(String sessionId) {
        this.sessionId = sessionId;
        return this;
    }

    public AlertContext trace(String traceId) {
        this.traceId = traceId;
        return this;
    }

    /** A label on the alert (null values are skipped). */
    public AlertContext label(String name, String value) {
        if (value != null) {
            labels.put(name, value);
        }
        return this;
    }

    public AlertContext numbers(double value, double threshold, double baseline) {
        this.value = value;
        this.threshold = threshold;
        this.baseline = baseline;
        return this;
    }

    public AlertContext window(long start, long end) {
        this.windowStart = start;
        this.windowEnd = end;
        return this;
    }

    public AlertContext evidence(List<String> traceIds) {
        this.evidence = traceIds == null ? List.of() : List.copyOf(traceIds);
        return this;
    }

    public AlertContext rootCause(String agentId) {
        this.rootCauseAgentId = agentId;
        return this;
    }

    /** A value the summary and description templates can name. */
    public AlertContext var(String name, Object value) {
        vars.put(name, value);
        return this;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String agentId() {
        return agentId;
    }
}
