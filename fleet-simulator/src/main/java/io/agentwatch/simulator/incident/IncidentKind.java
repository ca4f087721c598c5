package io.agentwatch.simulator.incident;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The incident kinds the simulator can inject, by the name used on the command line and in the ground truth,
 * with what each targets (a solo agent, or a crew of three for the cascade) and the class that implements it.
 * {@code all} means every kind, in this order.
 */
public enum IncidentKind {
    ERROR_BURST("error_burst", Target.SOLO, ErrorBurst::new),
    LATENCY_REGRESSION("latency_regression", Target.SOLO, LatencyRegression::new),
    TOKEN_DRIFT("token_drift", Target.SOLO, TokenDrift::new),
    TOOL_LOOP("tool_loop", Target.SOLO, ToolLoop::new),
    TOOL_TIMEOUTS("tool_timeouts", Target.SOLO, ToolTimeouts::new),
    SILENT_AGENT("silent_agent", Target.SOLO, SilentAgent::new),
    CASCADE("cascade", Target.CREW, Cascade::new),
    RELEASE_REGRESSION("release_regression", Target.SOLO, ReleaseRegression::new),
    SESSION_BUDGET("session_budget", Target.SOLO, SessionBudget::new),
    ITERATION_LIMIT("iteration_limit", Target.SOLO, IterationLimit::new),
    RUN_TOKEN_OVERRUN("run_token_overrun", Target.SOLO, RunTokenOverrun::new),
    MANUAL_RESCUE("manual_rescue", Target.SOLO, ManualRescue::new),
    ESCALATION("escalation", Target.SOLO, Escalation::new),
    SUCCESS_RATE_DROP("success_rate_drop", Target.SOLO, SuccessRateDrop::new),
    CONFIDENCE_DRIFT("confidence_drift", Target.SOLO, ConfidenceDrift::new);

    /** What an incident kind needs from the fleet. */
    public enum Target {
        /** One solo agent (never part of a crew, so its trouble stays its own). */
        SOLO,
        /** One crew: lead, worker, specialist. */
        CREW
    }

    private final String id;
    private final Target target;
    private final Function<Incident.Setup, Incident> factory;

    IncidentKind(String id, Target target, Function<Incident.Setup, Incident> factory) {
        this.id = id;
        this.target = target;
        this.factory = factory;
    }

    public String id() {
        return id;
    }

    public Target target() {
        return target;
    }

    Incident create(Incident.Setup setup) {
        return factory.apply(setup);
    }

    /** The kind with this name (case-insensitive; '-' and '_' alike), or an error that lists the known names. */
    public static IncidentKind of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (IncidentKind k : values()) {
            if (k.id.equals(wanted)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown incident kind '" + name + "'; known kinds: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(IncidentKind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
