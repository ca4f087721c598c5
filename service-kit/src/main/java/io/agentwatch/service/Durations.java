package io.agentwatch.service;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses human durations: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 0}, or ISO-8601 {@code PT5M}. */
public final class Durations {
    private Durations() {
    }

    /** The duration, or an IllegalArgumentException whose message says which forms are accepted. */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no duration given");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("p")) {
            try {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration", e);
            }
        }
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0 || i == s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number and a unit, e.g. 250ms, 10s, 5m, 1h, 2d");
        }
        double amount;
        try {
            amount = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration", e);
        }
        long unitMillis = switch (s.substring(i).trim()) {
            case "ms" -> 1L;
            case "s", "sec", "secs" -> 1_000L;
            case "m", "min", "mins" -> 60_000L;
            case "h", "hr", "hrs" -> 3_600_000L;
            case "d", "day", "days" -> 86_400_000L;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit: use ms, s, m, h or d");
        };
        return Duration.ofMillis(Math.round(amount * unitMillis));
    }

    /** The shortest exact human form: 90000 ms is {@code 90s}, 300000 ms is {@code 5m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }
}
