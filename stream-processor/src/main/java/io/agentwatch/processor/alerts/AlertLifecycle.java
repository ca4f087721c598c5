package io.agentwatch.processor.alerts;

import io.agentwatch.processor.alerts.AlertState.Phase;
import java.time.Duration;

/**
 * The alert state machine, as Prometheus runs it, in event time. For conditions evaluated on a tick: a condition
 * that starts to hold makes the alert PENDING; once it has held for the rule's {@code for} duration it FIRES (one
 * record); while it keeps holding nothing more is sent unless the repeat interval has passed; when it stops holding
 * a firing alert RESOLVES (one record) and a pending one is dropped silently. For occurrences (an event that
 * matches, a detector that trips): the first occurrence fires at once, later ones keep it firing, and it resolves
 * once no occurrence has been seen for the rule's {@code resolve_after}.
 */
public final class AlertLifecycle {
    /** What a transition asks the caller to send. */
    public enum Emit { NOTHING, FIRING, RESOLVED }

    private AlertLifecycle() {
    }

    public static Emit evaluate(AlertState s, boolean holds, long now, Duration forDuration, Duration repeatInterval) {
        if (holds) {
            switch (s.phase) {
                case INACTIVE -> {
                    s.activeSince = now;
                    if (forDuration.isZero()) {
                        return fire(s, now);
                    }
                    s.phase = Phase.PENDING;
                    return Emit.NOTHING;
                }
                case PENDING -> {
                    return now - s.activeSince >= forDuration.toMillis() ? fire(s, now) : Emit.NOTHING;
                }
                default -> {
                    return repeatDue(s, now, repeatInterval);
                }
            }
        }
        return switch (s.phase) {
            case INACTIVE -> Emit.NOTHING;
            case PENDING -> {
                s.phase = Phase.INACTIVE;
                yield Emit.NOTHING;
            }
            case FIRING -> resolve(s);
        };
    }

    public static Emit occurred(AlertState s, long now, Duration repeatInterval) {
        if (s.phase == Phase.FIRING) {
            s.lastMatch = Math.max(s.lastMatch, now);
            return repeatDue(s, now, repeatInterval);
        }
        s.activeSince = now;
        s.lastMatch = now;
        return fire(s, now);
    }

    /** Resolves an occurrence-driven alert that has seen nothing for {@code resolveAfter}. */
    public static Emit expire(AlertState s, long now, Duration resolveAfter) {
        if (s.phase == Phase.FIRING && now - s.lastMatch >= resolveAfter.toMillis()) {
            return resolve(s);
        }
        return Emit.NOTHING;
    }

    /** Resolves a firing alert now, whatever its condition (its scope ended: a session expired, a day passed). */
    public static Emit end(AlertState s) {
        return s.phase == Phase.FIRING ? resolve(s) : Emit.NOTHING;
    }

    private static Emit fire(AlertState s, long now) {
        s.phase = Phase.FIRING;
        s.lastSent = now;
        return Emit.FIRING;
    }

    private static Emit repeatDue(AlertState s, long now, Duration repeatInterval) {
        if (!repeatInterval.isZero() && now - s.lastSent >= repeatInterval.toMillis()) {
            s.lastSent = now;
            return Emit.FIRING;
        }
        return Emit.NOTHING;
    }

    private static Emit resolve(AlertState s) {
        s.phase = Phase.INACTIVE;
        return Emit.RESOLVED;
    }
}
