package io.agentwatch.schema.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reuses String instances for the low-cardinality text of events (agent ids, models, providers, tenants, tool
 * names, attribute keys and values), so decoding them allocates nothing once they are known. A fixed table of
 * immutable entries indexed by a hash of the UTF-8 bytes; concurrent use only ever costs a miss, never a wrong
 * answer, so it needs no lock. High-cardinality ids (event, session, trace, span) must not go through it.
 */
final class StringCache {
    private static final int SLOTS = 1 << 13;
    private static final int MAX_CACHED_LENGTH = 96;

    private final Entry[] table = new Entry[SLOTS];

    String get(byte[] buf, int off, int len) {
        if (len > MAX_CACHED_LENGTH) {
            return new String(buf, off, len, StandardCharsets.UTF_8);
        }
        int h = 0x811c9dc5;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ buf[i]) * 0x01000193;
        }
        int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
        Entry e = table[slot];
        if (e != null && e.hash == h && sameBytes(e.bytes, buf, off, len)) {
            return e.value;
        }
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        table[slot] = new Entry(Arrays.copyOfRange(buf, off, off + len), h, s);
        return s;
    }

    /** A plain loop: for the short ids cached here it beats Arrays.equals, whose vectorized stub costs more to enter. */
    private static boolean sameBytes(byte[] cached, byte[] buf, int off, int len) {
        if (cached.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (cached[i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    private record Entry(byte[] bytes, int hash, String value) {
    }
}
