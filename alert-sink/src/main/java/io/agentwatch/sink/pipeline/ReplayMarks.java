package io.agentwatch.sink.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a committed offset's metadata says about the records after it, so that a restart redelivers only what was
 * in flight. The committed offset is the lowest record some receiver still owed (a buffered group or digest, a
 * retry); {@code hi} is the offset after the last record read; for records in between, a receiver is owed the
 * record only if the record is at or after that receiver's mark, and a receiver without a mark had finished
 * everything below {@code hi}. No or unreadable metadata means: deliver everything again (at-least-once).
 *
 * <p>Encoded as {@code aw1;hi=150;digest-hourly=100;slack=120} (receiver names cannot contain ';' or '=').
 */
public final class ReplayMarks {
    static final String VERSION = "aw1";
    static final int MAX_LENGTH = 3500;
    public static final ReplayMarks NONE = new ReplayMarks(-1, Map.of());

    private final long hi;
    private final Map<String, Long> marks;

    public ReplayMarks(long hi, Map<String, Long> marks) {
        this.hi = hi;
        this.marks = Map.copyOf(marks);
    }

    public long hi() {
        return hi;
    }

    public Map<String, Long> marks() {
        return marks;
    }

    /** True when the receiver is still owed the record at this offset. */
    public boolean owed(long offset, String receiver) {
        if (offset >= hi) {
            return true;
        }
        Long mark = marks.get(receiver);
        return mark != null && offset >= mark;
    }

    /** The metadata string, or empty when it would be too long (then a restart redelivers everything, safely). */
    public String encode() {
        if (hi < 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(VERSION).append(";hi=").append(hi);
        marks.forEach((r, m) -> s.append(';').append(r).append('=').append(m));
        return s.length() > MAX_LENGTH ? "" : s.toString();
    }

    public static ReplayMarks decode(String metadata) {
        if (metadata == null || !metadata.startsWith(VERSION + ";")) {
            return NONE;
        }
        long hi = -1;
        Map<String, Long> marks = new LinkedHashMap<>();
        for (String part : metadata.substring(VERSION.length() + 1).split(";")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                return NONE;
            }
            long v;
            try {
                v = Long.parseLong(part.substring(eq + 1));
            } catch (NumberFormatException e) {
                return NONE;
            }
            String k = part.substring(0, eq);
            if (k.equals("hi")) {
                hi = v;
            } else {
                marks.put(k, v);
            }
        }
        return hi < 0 ? NONE : new ReplayMarks(hi, marks);
    }

    public Optional<Long> mark(String receiver) {
        return Optional.ofNullable(marks.get(receiver));
    }

    @Override
    public String toString() {
        return hi < 0 ? "none" : encode();
    }
}
