package io.agentwatch.processor.alerts;

import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;

/**
 * Where one rule stands for one scope, as Prometheus tracks an alert: inactive, pending since a time, or firing.
 * Times are event time (ms). Kept per scope by the processor that evaluates the rule, written to its logged store.
 */
public final class AlertState {
    public enum Phase { INACTIVE, PENDING, FIRING }

    Phase phase = Phase.INACTIVE;
    long activeSince;
    long lastSent;
    long lastMatch;
    String causedBy;
    /** The numbers of the last FIRING record, so that the RESOLVED record can say what was resolved. */
    double lastValue = Double.NaN;
    double lastThreshold = Double.NaN;
    double lastBaseline = Double.NaN;

    public Phase phase() {
        return phase;
    }

    public boolean isActive() {
        return phase != Phase.INACTIVE;
    }

    /** When the condition started to hold (the alert's starts_at). */
    public long activeSince() {
        return activeSince;
    }

    public long lastMatch() {
        return lastMatch;
    }

    /** Fingerprint of a cascade alert this incident was caused by, or null. */
    public String causedBy() {
        return causedBy;
    }

    public void causedBy(String fingerprint) {
        this.causedBy = fingerprint;
    }

    public void encode(ByteSink out) {
        out.varLong(phase.ordinal());
        out.varLong(activeSince);
        out.varLong(lastSent);
        out.varLong(lastMatch);
        out.optionalString(causedBy);
        out.doubleValue(lastValue);
        out.doubleValue(lastThreshold);
        out.doubleValue(lastBaseline);
    }

    public static AlertState decode(ByteReader in) {
        AlertState s = new AlertState();
        s.phase = Phase.values()[in.varInt()];
        s.activeSince = in.varLong();
        s.lastSent = in.varLong();
        s.lastMatch = in.varLong();
        s.causedBy = in.optionalString();
        s.lastValue = in.doubleValue();
        s.lastThreshold = in.doubleValue();
        s.lastBaseline = in.doubleValue();
        return s;
    }
}
