package io.agentwatch.processor.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An incremental sweep over a key-value store, for expiring idle entries (sessions, traces) without ever scanning
 * the whole store at once and without an in-memory index of every key: each call visits at most {@code budget}
 * entries, starting after the last key the previous call visited, and wraps around at the end of the store. Callers
 * size the budget from the number of entries they created since the last call (e.g. twice that, plus a constant),
 * so the sweep keeps up with creation and its cost stays O(1) amortized per created entry: the store holds at most
 * the live entries plus those that expired since the sweep last passed them.
 *
 * <p>The visitor sees the stored bytes; the keys it picks are returned after the iterator is closed, for the caller
 * to delete (never while iterating). Single-threaded, like the task that owns it.
 */
public final class StoreSweeper {
    /** Decides for one stored entry. */
    public interface Visitor {
        /** True when the entry has expired and should be deleted. */
        boolean expired(String key, byte[] value);
    }

    private String cursor;
    private long visited;
    private long passes;
    private boolean completedPass;

    /** Visits up to {@code budget} entries after the cursor; the keys the visitor found expired. */
    public List<String> sweep(KeyValueStore<String, byte[]> store, int budget, Visitor visitor) {
        List<String> expired = new ArrayList<>();
        completedPass = false;
        int n = 0;
        String from = cursor;
        try (KeyValueIterator<String, byte[]> it = from == null ? store.all() : store.range(from, null)) {
            while (n < budget && it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key.equals(from)) {
                    continue; // range() includes its lower bound, which the previous call visited
                }
                n++;
                cursor = kv.key;
                if (visitor.expired(kv.key, kv.value)) {
                    expired.add(kv.key);
                }
            }
            if (!it.hasNext()) {
                cursor = null;
                passes++;
                completedPass = true;
            }
        }
        visited += n;
        return expired;
    }

    /** Whether the last call reached the end of the store: every entry has been visited since the pass began. */
    public boolean completedPass() {
        return completedPass;
    }

    /** Entries visited so far. */
    public long visited() {
        return visited;
    }

    /** Complete passes over the store so far. */
    public long passes() {
        return passes;
    }
}
