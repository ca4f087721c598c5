package io.agentwatch.simulator;

import io.agentwatch.simulator.incident.IncidentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a simulation depends on; the same config always gives the same events.
 *
 * @param seed              seeds every random choice
 * @param agents            fleet size
 * @param eventsPerSecond   target events per simulated second over the whole fleet, heartbeats included
 * @param duration          simulated time span
 * @param startMs           simulated start, epoch ms
 * @param incidents         incidents to inject
 * @param heartbeatInterval each agent's heartbeat interval; zero for no heartbeats
 * @param maxEvents         stop after this many events (0: no limit); the benchmark uses it for exact counts
 */
public record SimulationConfig(
        long seed,
        int agents,
        double eventsPerSecond,
        Duration duration,
        long startMs,
        List<IncidentSpec> incidents,
        Duration heartbeatInterval,
        long maxEvents) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    /** 2000-01-01T00:00:00Z; earlier start times are a unit mistake (seconds for milliseconds). */
    public static final long EARLIEST_START_MS = 946_684_800_000L;

    public SimulationConfig {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        incidents = incidents == null ? List.of() : List.copyOf(incidents);
        if (agents < 1 || agents > 1_000_000) {
            throw new IllegalArgumentException("agents must be between 1 and 1000000, got " + agents);
        }
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of events per second, got " + eventsPerSecond);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + Durations.format(duration));
        }
        if (startMs < EARLIEST_START_MS) {
            throw new IllegalArgumentException("start time " + startMs + " is before 2000-01-01 (seconds instead of milliseconds?)");
        }
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("heartbeat interval must not be negative");
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be >= 0, got " + maxEvents);
        }
        double heartbeatsPerSecond = heartbeatsPerSecond(agents, heartbeatInterval);
        if (heartbeatsPerSecond > eventsPerSecond / 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rate %.1f events/s is too low for %d agents: their heartbeats (every %s) alone take %.1f events/s; "
                            + "use a rate of at least %.0f events/s or fewer agents",
                    eventsPerSecond, agents, Durations.format(heartbeatInterval), heartbeatsPerSecond, Math.ceil(heartbeatsPerSecond * 2)));
        }
    }

    /** A config with default heartbeats, no incidents and no event limit. */
    public static SimulationConfig of(long seed, int agents, double eventsPerSecond, Duration duration, long startMs) {
        return new SimulationConfig(seed, agents, eventsPerSecond, duration, startMs, List.of(), DEFAULT_HEARTBEAT, 0);
    }

    public SimulationConfig withIncidents(List<IncidentSpec> specs) {
        return new SimulationConfig(seed, agents, eventsPerSecond, duration, startMs, specs, heartbeatInterval, maxEvents);
    }

    public SimulationConfig withHeartbeatInterval(Duration interval) {
        return new SimulationConfig(seed, agents, eventsPerSecond, duration, startMs, incidents, interval, maxEvents);
    }

    public SimulationConfig withMaxEvents(long max) {
        return new SimulationConfig(seed, agents, eventsPerSecond, duration, startMs, incidents, heartbeatInterval, max);
    }

    public SimulationConfig withStartMs(long start) {
        return new SimulationConfig(seed, agents, eventsPerSecond, duration, start, incidents, heartbeatInterval, maxEvents);
    }

    public long endMs() {
        return startMs + duration.toMillis();
    }

    static double heartbeatsPerSecond(int agents, Duration interval) {
        return interval.isZero() ? 0 : agents * 1000.0 / interval.toMillis();
    }

    @Override
    public String toString() {
        return "SimulationConfig[seed=" + seed + ", agents=" + agents + ", rate=" + eventsPerSecond + "/s, duration="
                + Durations.format(duration) + ", start=" + Instant.ofEpochMilli(startMs) + ", incidents=" + incidents
                + ", heartbeat=" + Durations.format(heartbeatInterval) + (maxEvents > 0 ? ", maxEvents=" + maxEvents : "") + "]";
    }
}
