package io.agentwatch.reliability.io;

/**
 * Whether the long versions run: {@code -Dagentwatch.reliability.long=true} (10-minute soak with 100k agents,
 * several-minute receiver outage, more pills in more traffic). The default test command runs the short versions.
 */
final class LongRuns {
    static final String PROPERTY = "agentwatch.reliability.long";

    private LongRuns() {
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "false"));
    }

    /** The short or the long value. */
    static <T> T pick(T shortValue, T longValue) {
        return enabled() ? longValue : shortValue;
    }
}
