package io.agentwatch.simulator.incident;

import io.agentwatch.simulator.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A requested incident: its kind and, optionally, when it starts (offset from the simulation start) and how
 * long it lasts. Written {@code kind}, {@code kind@offset} or {@code kind@offset+length}, e.g.
 * {@code error_burst@30s+2m}; a list is comma-separated, and {@code all} / {@code none} stand for every kind / no
 * incident. Left out, the offset and length get defaults from the simulation's duration.
 *
 * @param kind   what to inject
 * @param offset start relative to the simulation start, or null for the default
 * @param length how long it lasts, or null for the default
 */
public record IncidentSpec(IncidentKind kind, Duration offset, Duration length) {

    public IncidentSpec {
        Objects.requireNonNull(kind, "kind");
        if (offset != null && offset.isNegative()) {
            throw new IllegalArgumentException(kind + ": the offset must not be negative, got " + offset);
        }
        if (length != null && (length.isNegative() || length.isZero())) {
            throw new IllegalArgumentException(kind + ": the length must be positive, got " + length);
        }
    }

    public static IncidentSpec of(IncidentKind kind) {
        return new IncidentSpec(kind, null, null);
    }

    /** Parses one {@code kind[@offset[+length]]}. */
    public static IncidentSpec parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty incident in the list");
        }
        int at = s.indexOf('@');
        if (at < 0) {
            return of(IncidentKind.of(s));
        }
        IncidentKind kind = IncidentKind.of(s.substring(0, at));
        String timing = s.substring(at + 1);
        int plus = timing.indexOf('+');
        String offsetText = plus < 0 ? timing : timing.substring(0, plus);
        Duration offset = Durations.parse(offsetText, "the offset of " + kind);
        Duration length = plus < 0 ? null : Durations.parse(timing.substring(plus + 1), "the length of " + kind);
        return new IncidentSpec(kind, offset, length);
    }

    /** Parses a comma-separated list, or {@code all}, or {@code none} (also the empty string). */
    public static List<IncidentSpec> parseList(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty() || s.equalsIgnoreCase("none")) {
            return List.of();
        }
        if (s.equalsIgnoreCase("all")) {
            return Arrays.stream(IncidentKind.values()).map(IncidentSpec::of).toList();
        }
        List<IncidentSpec> specs = new ArrayList<>();
        for (String part : s.split(",")) {
            specs.add(parse(part));
        }
        return List.copyOf(specs);
    }

    @Override
    public String toString() {
        return kind.id() + (offset == null ? "" : "@" + Durations.format(offset) + (length == null ? "" : "+" + Durations.format(length)));
    }
}
