package io.agentwatch.processor.stats;

import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A PaneStore in a map, for unit tests; it stores encoded bytes so that tests also cover the pane layout. */
final class InMemoryPaneStore implements PaneStore {
    final Map<String, TreeMap<Long, byte[]>> panes = new HashMap<>();

    @Override
    public Pane load(String scope, long paneStart) {
        byte[] bytes = panes.getOrDefault(scope, new TreeMap<>()).get(paneStart);
        return bytes == null ? null : Pane.decode(new ByteReader(bytes));
    }

    @Override
    public void save(String scope, long paneStart, Pane pane) {
        ByteSink out = new ByteSink(64);
        pane.encode(out);
        panes.computeIfAbsent(scope, s -> new TreeMap<>()).put(paneStart, out.toByteArray());
    }

    @Override
    public NavigableMap<Long, Pane> range(String scope, long fromStart, long toStart) {
        TreeMap<Long, Pane> result = new TreeMap<>();
        panes.getOrDefault(scope, new TreeMap<>()).subMap(fromStart, true, toStart, true)
                .forEach((k, v) -> result.put(k, Pane.decode(new ByteReader(v))));
        return result;
    }
}
