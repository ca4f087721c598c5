package io.agentwatch.simulator.cli;

import io.agentwatch.simulator.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads 90s, 10m, 1h, 1h30m, 500ms or ISO-8601 for picocli; picocli puts the option's name in front of the error. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value, "duration");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage().replaceFirst("^duration: ", ""));
        }
    }
}
