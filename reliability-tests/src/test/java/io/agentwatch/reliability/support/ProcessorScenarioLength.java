package io.agentwatch.reliability.support;

/**
 * Short or long: the processor scenarios run a short version in {@code mvn verify} and the long one (at least 1 M
 * events, at least 10 kills, a one-minute registry outage) with {@code -Dagentwatch.reliability.long=true}.
 */
public final class ProcessorScenarioLength {
    public static final String PROPERTY = "agentwatch.reliability.long";

    private ProcessorScenarioLength() {
    }

    public static boolean isLong() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "false"));
    }

    public static <T> T pick(T shortValue, T longValue) {
        return isLong() ? longValue : shortValue;
    }

    public static String name() {
        return isLong() ? "long" : "short";
    }
}
