package io.agentwatch.processor.state;

import io.agentwatch.processor.stats.Pane;
import io.agentwatch.processor.stats.PaneStore;
import io.agentwatch.schema.serde.ByteSink;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Panes in a logged RocksDB window store: key = the scope, window start = the pane's start, value = the pane's
 * compact layout. The store's retention drops panes older than the longest window on its own.
 */
public final class WindowStorePanes implements PaneStore {
    private final WindowStore<String, byte[]> store;
    private final ByteSink buffer = new ByteSink(1024);

    public WindowStorePanes(WindowStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public Pane load(String scope, long paneStart) {
        byte[] bytes = store.fetch(scope, paneStart);
        return bytes == null ? null : decode(bytes);
    }

    @Override
    public void save(String scope, long paneStart, Pane pane) {
        buffer.reset();
        pane.encode(buffer);
        store.put(scope, buffer.toByteArray(), paneStart);
    }

    @Override
    public NavigableMap<Long, Pane> range(String scope, long fromStart, long toStart) {
        NavigableMap<Long, Pane> panes = new TreeMap<>();
        try (WindowStoreIterator<byte[]> it = store.fetch(scope, fromStart, toStart)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                panes.put(kv.key, decode(kv.value));
            }
        }
        return panes;
    }

    private static Pane decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        Pane pane = Pane.decode(in);
        if (in.hasMore()) {
            throw new IllegalStateException("corrupt pane record: bytes left after the pane");
        }
        return pane;
    }
}
