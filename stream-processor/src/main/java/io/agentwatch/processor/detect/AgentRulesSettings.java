package io.agentwatch.processor.detect;

import java.time.Duration;
import java.util.Arrays;

/**
 * How the agent rules processor keeps and evaluates its windows.
 *
 * @param grace              how late an event may arrive (behind stream time) and still count in the windows
 * @param evaluationInterval how often, in event time, window rules are evaluated
 * @param windowMinutes      the window lengths maintained (every window the rules read)
 * @param liveScopes         live scopes kept per task before the least recently used are evicted to the store
 * @param baselineWarmup     panes a baseline must learn from before rules may use it
 * @param baselineHalfLife   half-life of the baselines' moving averages
 */
public record AgentRulesSettings(
        Duration grace,
        Duration evaluationInterval,
        int[] windowMinutes,
        int liveScopes,
        int baselineWarmup,
        Duration baselineHalfLife) {

    /** Windows are made of one-minute panes: a window of W minutes is W panes. */
    public static final Duration PANE = Duration.ofMinutes(1);

    public AgentRulesSettings {
        if (grace.isNegative() || grace.compareTo(PANE) > 0) {
            throw new IllegalArgumentException("grace must be between 0 and the pane length (1m), was " + grace);
        }
        if (evaluationInterval.toMillis() < 1) {
            throw new IllegalArgumentException("evaluation interval must be positive");
        }
        windowMinutes = Arrays.stream(windowMinutes).distinct().sorted().toArray();
        if (windowMinutes.length == 0 || windowMinutes[0] < 1) {
            throw new IllegalArgumentException("at least one window of 1 minute or more is needed");
        }
        if (liveScopes < 1) {
            throw new IllegalArgumentException("liveScopes must be >= 1");
        }
    }

    public long paneMs() {
        return PANE.toMillis();
    }

    /** How long panes must be kept: the longest window, the previous pane and the grace period. */
    public Duration paneRetention() {
        return PANE.multipliedBy(windowMinutes[windowMinutes.length - 1] + 2L).plus(grace);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentRulesSettings s && grace.equals(s.grace)
                && evaluationInterval.equals(s.evaluationInterval) && Arrays.equals(windowMinutes, s.windowMinutes)
                && liveScopes == s.liveScopes && baselineWarmup == s.baselineWarmup && baselineHalfLife.equals(s.baselineHalfLife);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(windowMinutes) * 31 + grace.hashCode();
    }

    @Override
    public String toString() {
        return "AgentRulesSettings[grace=" + grace + ", evaluationInterval=" + evaluationInterval
                + ", windows=" + Arrays.toString(windowMinutes) + "m, liveScopes=" + liveScopes
                + ", baselineWarmup=" + baselineWarmup + ", baselineHalfLife=" + baselineHalfLife + "]";
    }
}
