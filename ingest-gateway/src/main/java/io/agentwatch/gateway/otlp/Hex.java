package io.agentwatch.gateway.otlp;

import com.google.protobuf.ByteString;

/** Lowercase hex for trace and span ids, without a detour through String.format or HexFormat objects per id. */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Lowercase hex of the bytes; null for an empty id (OTLP's "no parent"). */
    static String encode(ByteString bytes) {
        int n = bytes.size();
        if (n == 0) {
            return null;
        }
        char[] out = new char[n * 2];
        for (int i = 0; i < n; i++) {
            int b = bytes.byteAt(i) & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /** True when every byte is zero (an invalid W3C id). */
    static boolean allZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of a hex string (either case); null when it is not an even number of hex digits. */
    static byte[] decode(String text) {
        int n = text.length();
        if ((n & 1) != 0) {
            return null;
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            int hi = Character.digit(text.charAt(i), 16);
            int lo = Character.digit(text.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i / 2] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
