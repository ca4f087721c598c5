package io.agentwatch.simulator.engine;

/**
 * How an injected incident changes the simulation: it reshapes the runs of its agent while it is active (or of
 * the sessions it started itself), may silence the agent, may change the release it reports, and may start
 * sessions of its own when it begins. The engine calls these hooks; {@code io.agentwatch.simulator.incident}
 * implements them, one class per incident kind.
 */
public interface IncidentHooks {
    long startMs();

    /** Index of the agent whose runs, heartbeats and release this incident reshapes, or -1 if it only starts sessions of its own. */
    int agentIndex();

    long endMs();

    default boolean isActive(long timeMs) {
        return timeMs >= startMs() && timeMs < endMs();
    }

    /**
     * Called when a run of the incident's agent starts while the incident is active, and for every run of a
     * session the incident started itself ({@link RunConditions#ownSession}); adjusts the run's conditions.
     */
    default void shapeRun(RunConditions conditions) {
    }

    /** Whether the agent emits nothing at all (heartbeats included) at this time. */
    default boolean silences(long timeMs) {
        return false;
    }

    /** The release the agent reports at this time. */
    default String versionAt(long timeMs, String baseVersion) {
        return baseVersion;
    }

    /** Called once, at {@link #startMs()}, to start the incident's own sessions, if it has any. */
    default void start(SessionStarter starter) {
    }
}
