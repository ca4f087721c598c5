package io.agentwatch.processor.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * How the detectors beside the rule windows keep their state and when they look at it.
 *
 * @param liveSessions  live session states per task and detector before the least recently used go to RocksDB
 * @param liveTraces    live trace states per task before the least recently used go to RocksDB
 * @param liveAgents    live per-agent states per task and detector (daily budgets, tools, releases)
 * @param tick          event-time interval of the detectors' housekeeping: expiry sweeps, resolutions, release
 *                      comparisons, cascades waiting to settle
 * @param wallClockTick wall-clock interval at which silent agents are looked for (fires with no input at all)
 */
public record DetectorSettings(int liveSessions, int liveTraces, int liveAgents, Duration tick, Duration wallClockTick) {
    public DetectorSettings {
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(wallClockTick, "wallClockTick");
        if (liveSessions < 1 || liveTraces < 1 || liveAgents < 1) {
            throw new IllegalArgumentException("live state capacities must be >= 1");
        }
        if (tick.toMillis() < 1 || wallClockTick.toMillis() < 1) {
            throw new IllegalArgumentException("ticks must be positive");
        }
    }

    /** Defaults for tests and tools: 20000 live sessions, traces and agents, a 5 s tick, 1 s wall-clock checks. */
    public static DetectorSettings defaults() {
        return new DetectorSettings(20_000, 20_000, 20_000, Duration.ofSeconds(5), Duration.ofSeconds(1));
    }
}
