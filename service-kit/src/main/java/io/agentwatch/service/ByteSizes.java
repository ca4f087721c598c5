package io.agentwatch.service;

import java.util.Locale;

/** Parses sizes: {@code 512}, {@code 64KB}, {@code 256MB}, {@code 2GB} (binary multiples: 1KB = 1024 bytes). */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no size given");
        }
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long multiplier = 1;
        for (String[] unit : new String[][] {{"GIB", "1073741824"}, {"GB", "1073741824"}, {"G", "1073741824"},
                {"MIB", "1048576"}, {"MB", "1048576"}, {"M", "1048576"}, {"KIB", "1024"}, {"KB", "1024"}, {"K", "1024"}, {"B", "1"}}) {
            if (s.endsWith(unit[0])) {
                multiplier = Long.parseLong(unit[1]);
                s = s.substring(0, s.length() - unit[0].length());
                break;
            }
        }
        try {
            double value = Double.parseDouble(s);
            if (value < 0) {
                throw new IllegalArgumentException("'" + text + "' is negative");
            }
            return Math.round(value * multiplier);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size: use a number and a unit, e.g. 64MB or 2GB", e);
        }
    }
}
