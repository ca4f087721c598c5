package io.agentwatch.simulator.score;

/** What the scorer made of one FIRING alert. */
public enum AlertVerdict {
    /** It detects an injected incident: expected alertname, matching scope, inside the incident's window. */
    DETECTION,
    /** Not the incident's expected alert, but one the incident legitimately causes on its agents (ground truth lists it). */
    SIDE_EFFECT,
    /** Marked caused_by a CascadeFailure alert that detected a true cascade: suppressed downstream noise. */
    CAUSED_BY_CASCADE,
    /** Matches no incident. */
    FALSE_ALARM
}
