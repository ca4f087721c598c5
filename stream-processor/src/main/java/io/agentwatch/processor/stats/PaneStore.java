package io.agentwatch.processor.stats;

import java.util.NavigableMap;

/** Where the panes of a scope that are no longer live are kept: the processor's RocksDB window store. */
public interface PaneStore {
    /** The pane of the scope that starts at {@code paneStart}, or null. */
    Pane load(String scope, long paneStart);

    void save(String scope, long paneStart, Pane pane);

    /** The stored panes of the scope with starts in {@code [fromStart, toStart]}, by start. */
    NavigableMap<Long, Pane> range(String scope, long fromStart, long toStart);
}
