package io.agentwatch.simulator.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Reads a start time as epoch milliseconds or ISO-8601 ({@code 2026-01-01T00:00:00Z}, {@code 2026-01-01T01:00:00+01:00}). */
public final class StartTimeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String s = value.trim();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large for epoch milliseconds");
            }
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new CommandLine.TypeConversionException("'" + value + "' is neither epoch milliseconds nor an ISO-8601 time such as 2026-01-01T00:00:00Z");
            }
        }
    }
}
