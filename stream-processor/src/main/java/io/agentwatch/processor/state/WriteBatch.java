package io.agentwatch.processor.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Collects the writes of one commit-time flush and hands them to the store in one {@code putAll}: RocksDB applies
 * them as one write batch (one native call instead of one per entry). Outside a flush (an eviction) a write goes
 * straight to the store. A null value deletes, without reading the old value first as {@code delete()} does.
 */
public final class WriteBatch<K> {
    private final KeyValueStore<K, byte[]> store;
    private final List<KeyValue<K, byte[]>> pending = new ArrayList<>();
    private boolean batching;

    public WriteBatch(KeyValueStore<K, byte[]> store) {
        this.store = store;
    }

    public void put(K key, byte[] value) {
        if (batching) {
            pending.add(KeyValue.pair(key, value));
        } else {
            store.put(key, value);
        }
    }

    /** Runs the flush with its writes batched, then writes them. */
    public void flush(Runnable flush) {
        batching = true;
        try {
            flush.run();
        } finally {
            batching = false;
        }
        if (!pending.isEmpty()) {
            store.putAll(pending);
            pending.clear();
        }
    }
}
