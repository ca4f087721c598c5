package io.agentwatch.gateway.otlp;

/** Hex decoding of the ids in OTLP/JSON. */
final class Hex {
    private Hex() {
    }

    /** The bytes of a hex string (either case); null when it is not an even number of hex digits. */
    static byte[] decode(String text) {
        int n = text.length();
        if ((n & 1) != 0) {
            return null;
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            int hi = digit(text.charAt(i));
            int lo = digit(text.charAt(i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i / 2] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
