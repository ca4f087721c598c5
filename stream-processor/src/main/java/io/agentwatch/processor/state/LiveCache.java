package io.agentwatch.processor.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The live objects of one processor instance (one task), bounded: at most {@code capacity} entries, the least
 * recently used evicted first. An entry is dirty from its change until the next {@link #flush}, which writes it
 * with the writer (into a logged store) and runs right before every commit through {@link CommitHookStore}.
 * An evicted dirty entry is written on the way out, so nothing is lost; a miss loads from the store.
 * Single-threaded, like the task that owns it.
 */
public final class LiveCache<K, V> {
    private final int capacity;
    private final Function<K, V> loader;
    private final BiConsumer<K, V> writer;
    private final LinkedHashMap<K, Slot<K, V>> map;
    private final List<K> dirty = new ArrayList<>();
    private BiConsumer<K, V> evictionListener = (k, v) -> { };
    private long loads;
    private long evictions;

    private static final class Slot<K, V> {
        /** The key the entry was put with: a caller may look up with a reused probe key, never stored. */
        final K key;
        V value;
        boolean dirty;

        Slot(K key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /**
     * @param capacity live entries kept at most
     * @param loader   reads an entry from the store on a miss; returns null when the store has none
     * @param writer   writes an entry to the store (a null value deletes it)
     */
    public LiveCache(int capacity, Function<K, V> loader, BiConsumer<K, V> writer) {
        this(capacity, loader, writer, true);
    }

    /**
     * @param accessOrder true: evict the least recently used; false: evict the least recently inserted (cheaper
     *                    lookups, no relinking on every hit; right for short-lived entries such as sessions)
     */
    public LiveCache(int capacity, Function<K, V> loader, BiConsumer<K, V> writer, boolean accessOrder) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.loader = loader;
        this.writer = writer;
        this.map = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, accessOrder) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<K, V>> eldest) {
                if (size() <= LiveCache.this.capacity) {
                    return false;
                }
                Slot<K, V> slot = eldest.getValue();
                if (slot.dirty) {
                    writer.accept(eldest.getKey(), slot.value);
                    slot.dirty = false;
                }
                evictionListener.accept(eldest.getKey(), slot.value);
                evictions++;
                return true;
            }
        };
    }

    /** Told of every entry the cache evicts (after it is written when dirty): the entry lives only in the store now. */
    public void onEviction(BiConsumer<K, V> listener) {
        this.evictionListener = listener;
    }

    /** The live entry, loading it from the store on a miss; null if neither has it. */
    public V get(K key) {
        Slot<K, V> slot = map.get(key);
        if (slot != null) {
            return slot.value;
        }
        V loaded = loader.apply(key);
        loads++;
        if (loaded != null) {
            map.put(key, new Slot<>(key, loaded));
        }
        return loaded;
    }

    /** The live entry without loading, or null. */
    public V peek(K key) {
        Slot<K, V> slot = map.get(key);
        return slot == null ? null : slot.value;
    }

    /**
     * The live entry, marked dirty, in one lookup; null (nothing marked, nothing loaded) when it is not live. The hot
     * path of a detector that changes the entry it looks up: a hit costs one hash lookup and allocates nothing.
     */
    public V peekDirty(K key) {
        Slot<K, V> slot = map.get(key);
        if (slot == null) {
            return null;
        }
        markDirty(slot);
        return slot.value;
    }

    /** Puts an entry and marks it dirty. */
    public void put(K key, V value) {
        Slot<K, V> slot = map.get(key);
        if (slot == null) {
            slot = new Slot<>(key, value);
            map.put(key, slot);
        } else {
            slot.value = value;
        }
        markDirty(slot);
    }

    /** Marks a live entry as changed since the last flush. */
    public void markDirty(K key) {
        Slot<K, V> slot = map.get(key);
        if (slot == null) {
            throw new IllegalStateException("not live: " + key);
        }
        markDirty(slot);
    }

    private void markDirty(Slot<K, V> slot) {
        if (!slot.dirty) {
            slot.dirty = true;
            dirty.add(slot.key);
        }
    }

    /** Removes an entry and deletes it from the store. */
    public void remove(K key) {
        map.remove(key);
        writer.accept(key, null);
    }

    /** Writes every dirty entry. */
    public void flush() {
        for (K key : dirty) {
            Slot<K, V> slot = map.get(key);
            if (slot != null && slot.dirty) {
                writer.accept(key, slot.value);
                slot.dirty = false;
            }
        }
        dirty.clear();
    }

    /** Drops every live entry without writing: for a task closed dirty, whose state is restored from the changelog. */
    public void clear() {
        map.clear();
        dirty.clear();
    }

    public int size() {
        return map.size();
    }

    public long loads() {
        return loads;
    }

    public long evictions() {
        return evictions;
    }

    /** Iterates the live entries (not the store); do not modify the cache while iterating. */
    public Iterator<Map.Entry<K, V>> liveEntries() {
        Iterator<Map.Entry<K, Slot<K, V>>> it = map.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
                Map.Entry<K, Slot<K, V>> e = it.next();
                return Map.entry(e.getKey(), e.getValue().value);
            }
        };
    }
}
