package io.agentwatch.simulator.engine;

import java.nio.charset.StandardCharsets;

/**
 * Identifiers drawn from a {@link Rng}: UUIDs for events and sessions, W3C trace ids (32 lowercase hex) and span
 * ids (16 lowercase hex). Deriving them from the seeded stream, never from {@link java.util.UUID#randomUUID()}, is
 * what makes a simulation reproducible.
 */
public final class Ids {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Ids() {
    }

    /** A version-4-shaped UUID string. */
    public static String uuid(Rng rng) {
        long msb = (rng.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (rng.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        byte[] c = new byte[36];
        hex(msb >>> 32, 8, c, 0);
        c[8] = (byte) '-';
        hex(msb >>> 16, 4, c, 9);
        c[13] = (byte) '-';
        hex(msb, 4, c, 14);
        c[18] = (byte) '-';
        hex(lsb >>> 48, 4, c, 19);
        c[23] = (byte) '-';
        hex(lsb, 12, c, 24);
        return latin1(c);
    }

    /** 32 lowercase hex characters, never all zero (W3C forbids it). */
    public static String traceId(Rng rng) {
        long hi = rng.nextLong();
        long lo = rng.nextLong() | 1L;
        byte[] c = new byte[32];
        hex(hi, 16, c, 0);
        hex(lo, 16, c, 16);
        return latin1(c);
    }

    /** 16 lowercase hex characters, never all zero. */
    public static String spanId(Rng rng) {
        return hex16(rng.nextLong() | 1L);
    }

    /** A long as 16 lowercase hex characters. */
    public static String hex16(long value) {
        byte[] c = new byte[16];
        hex(value, 16, c, 0);
        return latin1(c);
    }

    /** Bytes of ASCII as a String without the char[] detour (the JDK would compress a char[] back to bytes). */
    private static String latin1(byte[] ascii) {
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    private static void hex(long value, int digits, byte[] out, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
