package io.agentwatch.schema.serde;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reuses String instances for the low-cardinality text of events (agent ids, models, providers, tenants, tool
 * names, attribute keys and values), so decoding them allocates nothing once they are known. A fixed table of
 * immutable entries indexed by a hash of the UTF-8 bytes; concurrent use only ever costs a miss, never a wrong
 * answer, so it needs no lock. High-cardinality ids (event, session, trace, span) must not go through it.
 *
 * <p>Hashing and comparing read eight bytes at a time: for these short strings a per-byte loop, or the vectorized
 * {@code Arrays.equals} with its call overhead, cost more than the rest of decoding an event.
 */
final class StringCache {
    private static final int SLOTS = 1 << 13;
    private static final int MAX_CACHED_LENGTH = 96;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Entry[] table = new Entry[SLOTS];

    String get(byte[] buf, int off, int len) {
        if (len > MAX_CACHED_LENGTH) {
            return new String(buf, off, len, StandardCharsets.UTF_8);
        }
        long h = hash(buf, off, len);
        int slot = (int) (h ^ (h >>> 32)) & (SLOTS - 1);
        Entry e = table[slot];
        if (e != null && e.hash == h && same(e.bytes, buf, off, len)) {
            return e.value;
        }
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        table[slot] = new Entry(Arrays.copyOfRange(buf, off, off + len), h, s);
        return s;
    }

    private static long hash(byte[] buf, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = (h ^ (long) LONGS.get(buf, off + i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        for (; i < len; i++) {
            h = (h ^ buf[off + i]) * 0x94D049BB133111EBL;
        }
        return h ^ (h >>> 29);
    }

    private static boolean same(byte[] cached, byte[] buf, int off, int len) {
        if (cached.length != len) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if ((long) LONGS.get(cached, i) != (long) LONGS.get(buf, off + i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (cached[i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    private record Entry(byte[] bytes, long hash, String value) {
    }
}
