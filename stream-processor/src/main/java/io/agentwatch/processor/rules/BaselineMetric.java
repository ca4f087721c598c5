package io.agentwatch.processor.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What the processor learns per agent, as an exponentially weighted moving average of one-minute values:
 * the names a condition passes to {@code baseline(...)}. A baseline that is still warming up reads as NaN, so a
 * rule that depends on it cannot fire.
 */
public enum BaselineMetric {
    TOKENS_PER_REQUEST(WindowMetric.TOKENS_PER_REQUEST),
    TOKENS_PER_RUN(WindowMetric.TOKENS_PER_RUN),
    LATENCY_P95(WindowMetric.LATENCY_P95),
    ERROR_RATE(WindowMetric.ERROR_RATE),
    CONFIDENCE(WindowMetric.CONFIDENCE);

    private final WindowMetric source;

    BaselineMetric(WindowMetric source) {
        this.source = source;
    }

    /** The one-minute window metric the baseline averages. */
    public WindowMetric source() {
        return source;
    }

    public String ruleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BaselineMetric> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.ruleName().equals(name)).findFirst();
    }
}
