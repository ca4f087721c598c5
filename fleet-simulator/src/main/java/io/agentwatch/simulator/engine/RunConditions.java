package io.agentwatch.simulator.engine;

import io.agentwatch.simulator.fleet.AgentProfile;

/**
 * The knobs of one run, set to the healthy defaults before each run is planned and then adjusted by the
 * incident aimed at the agent, if any. One instance per nesting depth is reused for every run, so these are
 * plain public fields on a scratch object, not an immutable value.
 *
 * <p>The healthy defaults are chosen to stay far from the default alert thresholds of DESIGN.md: about 0.3% of
 * events are errors, and errors are at least {@link #MIN_EVENTS_BETWEEN_ERRORS} events apart per agent (so a
 * window of 20 or more events never exceeds 5%); about 1% of runs do not succeed, at least
 * {@link #MIN_RUNS_BETWEEN_NON_SUCCESS} runs apart (so 20 or more runs never fall below 95%); a retry happens at
 * most once (same tool and args at most twice, retry_count at most 1); at most one agent of a trace has errors;
 * a tool never times out twice in a row; runs stop at least four iterations below their limit.
 */
public final class RunConditions {
    public static final double HEALTHY_STEP_ERROR_RATE = 0.005;
    public static final double HEALTHY_FAIL_RATE = 0.006;
    public static final double HEALTHY_ESCALATE_RATE = 0.004;
    public static final double HEALTHY_RESCUE_RATE = 0.002;
    public static final int MIN_EVENTS_BETWEEN_ERRORS = 60;
    public static final int MIN_RUNS_BETWEEN_NON_SUCCESS = 40;

    // ---- what the run is (read by incidents) ----
    /** The agent whose run this is. */
    public AgentProfile agent;
    /** When the run starts (epoch ms, simulated). */
    public long startMs;
    /** 0 for the first run of a session, 1 for the second turn, ... */
    public int turn;
    /** True when the run belongs to a session the incident started itself. */
    public boolean ownSession;
    /** Runs of this agent the incident shaped before this one. */
    public int shapedBefore;

    // ---- knobs (healthy defaults) ----
    /** The release the run reports. */
    public String version;
    /** Chance that a step errors. */
    public double stepErrorRate;
    /** Whether the healthy spacing rules apply to errors and unsuccessful outcomes; incidents turn them off. */
    public boolean spaced;
    /** Multiplier of every step's latency. */
    public double latencyFactor;
    /** Multiplier of every LLM call's token counts. */
    public double tokenFactor;
    public double failRate;
    public double escalateRate;
    public double rescueRate;
    /** Added to the agent's mean confidence. */
    public double confidenceShift;
    /** Tool slot whose every call times out (and that the run is made to call), or -1. */
    public int timeoutToolSlot;
    /** The run iterates up to its max_iterations and fails there. */
    public boolean hitIterationLimit;
    /** When > 0, the run calls its main tool with one and the same arguments this many times in a row. */
    public int loopRepeats;
    /** When > 0, the run's first CHAT uses this many times its usual tokens. */
    public double overrunFactor;
    /** The run is part of a cascade: it hands off (if it can), its first action fails, and it ends FAILED. */
    public boolean cascade;
    /** The next turn of the session follows almost at once (a runaway session) instead of after a user's pause. */
    public boolean backToBackTurns;

    void reset(AgentProfile agent, long startMs, int turn, boolean ownSession, int shapedBefore, String version) {
        this.agent = agent;
        this.startMs = startMs;
        this.turn = turn;
        this.ownSession = ownSession;
        this.shapedBefore = shapedBefore;
        this.version = version;
        this.stepErrorRate = HEALTHY_STEP_ERROR_RATE;
        this.spaced = true;
        this.latencyFactor = 1.0;
        this.tokenFactor = 1.0;
        this.failRate = HEALTHY_FAIL_RATE;
        this.escalateRate = HEALTHY_ESCALATE_RATE;
        this.rescueRate = HEALTHY_RESCUE_RATE;
        this.confidenceShift = 0;
        this.timeoutToolSlot = -1;
        this.hitIterationLimit = false;
        this.loopRepeats = 0;
        this.overrunFactor = 0;
        this.cascade = false;
        this.backToBackTurns = false;
    }
}
