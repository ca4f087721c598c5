package io.agentwatch.processor.state;

import java.util.Arrays;

/**
 * Which keys may be in a store without being live in the cache in front of it ("cold": evicted, or restored after
 * a restart), so that a detector can tell a new key (a new session, a new trace: the commonest miss) from a cold one
 * without reading the store. A Bloom filter of fixed size (no false negatives; false positives only cost the read
 * that would have happened anyway), rebuilt on every pass of the store's {@link StoreSweeper}: during a pass, the
 * next filter collects the cold keys the sweep visits and the keys evicted meanwhile; when the pass completes it
 * replaces the current one, so expired keys leave it. Until the first pass completes (after a start or restart) every
 * key may be cold. Fixed memory: two bit sets of {@code 2^bits} bits.
 */
public final class ColdKeys {
    private static final int PROBES = 3;

    private final int mask;
    private long[] current;
    private long[] next;
    private boolean everything = true;

    /** @param log2Bits log2 of the filter size in bits, e.g. 20 for 1 Mbit (128 KiB per filter) */
    public ColdKeys(int log2Bits) {
        if (log2Bits < 6 || log2Bits > 30) {
            throw new IllegalArgumentException("log2Bits must be between 6 and 30");
        }
        this.mask = (1 << log2Bits) - 1;
        this.current = new long[1 << (log2Bits - 6)];
        this.next = new long[current.length];
    }

    /** Whether the key may be cold (always true until the first complete pass). */
    public boolean mayContain(int keyHash) {
        if (everything) {
            return true;
        }
        long h = mix(keyHash);
        for (int i = 0; i < PROBES; i++) {
            int bit = (int) (h >>> (21 * i)) & mask;
            if ((current[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** A key that became cold now (evicted): in both filters. */
    public void evicted(int keyHash) {
        set(current, keyHash);
        set(next, keyHash);
    }

    /** A cold key the sweep visited and kept. */
    public void visitedCold(int keyHash) {
        set(next, keyHash);
    }

    /** The sweep has visited every stored key since the pass began: the filter it built is now the truth. */
    public void passCompleted() {
        long[] t = current;
        current = next;
        next = t;
        Arrays.fill(next, 0);
        everything = false;
    }

    private void set(long[] bits, int keyHash) {
        long h = mix(keyHash);
        for (int i = 0; i < PROBES; i++) {
            int bit = (int) (h >>> (21 * i)) & mask;
            bits[bit >>> 6] |= 1L << bit;
        }
    }

    /** Spreads a 32-bit hash over 64 bits (the murmur3 finalizer), so that each probe takes its own 21 bits. */
    private static long mix(int keyHash) {
        long h = keyHash * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
