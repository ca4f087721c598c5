package io.agentwatch.processor.query;

import io.agentwatch.processor.detect.AgentRulesSettings;
import io.agentwatch.processor.detect.StateViews;
import io.agentwatch.processor.rules.WindowMetric;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.processor.stats.Pane;
import io.agentwatch.processor.stats.PaneStore;
import io.agentwatch.processor.stats.WindowState;
import io.agentwatch.processor.topology.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Answers the query endpoints from this instance's own state stores: one agent (its rule windows, baselines,
 * detector states and active alerts), one session (its state on every agent that has one here), and this
 * instance's part of the fleet summary. Stores are written at commit, so every answer is as of the last commit of
 * the task that owns the key. Routing to the instance that owns a key is {@link QueryRoutes}' job.
 */
public final class StateQueries {
    /** The local stores, from the running client (or a test driver). A store that is not available is null. */
    public interface LocalStores {
        ReadOnlyKeyValueStore<String, byte[]> keyValue(String name);

        ReadOnlyWindowStore<String, byte[]> window(String name);
    }

    private static final long PANE_MS = AgentRulesSettings.PANE.toMillis();
    private static final char SEP = StateViews.separator();

    private final StateViews views;
    private final int[] windows;
    private final int fleetWindow;
    private final LocalStores stores;

    /** @param windows the window lengths the processor keeps (minutes); the fleet summary uses 10m or the nearest */
    public StateQueries(StateViews views, int[] windows, LocalStores stores) {
        this.views = views;
        this.windows = windows.clone();
        int best = windows[0];
        for (int w : windows) {
            if (Math.abs(w - 10) < Math.abs(best - 10)) {
                best = w;
            }
        }
        this.fleetWindow = best;
        this.stores = stores;
    }

    /** One agent as this instance knows it; empty when it has nothing of it. */
    public Optional<Map<String, Object>> agent(String agentId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agent_id", agentId);
        List<Map<String, Object>> alerts = new ArrayList<>();
        boolean known = false;

        WindowState windowState = windows(agentId);
        if (windowState != null) {
            known = true;
            Map<String, Object> byLength = new LinkedHashMap<>();
            for (int w : windows) {
                byLength.put(w + "m", metrics(windowState.window(w)));
            }
            out.put("window_end", Instant.ofEpochMilli(windowState.currentStart() + PANE_MS).toString());
            out.put("windows", byLength);
        }
        ReadOnlyKeyValueStore<String, byte[]> scopes = stores.keyValue(StoreNames.AGENT_SCOPES);
        byte[] scope = scopes == null ? null : scopes.get(agentId);
        if (scope != null) {
            known = true;
            Map<String, Object> s = views.scope(agentId, scope);
            out.put("tenant", s.get("tenant"));
            out.put("workflow", s.get("workflow"));
            out.put("baselines", s.get("baselines"));
            out.put("error_traces", s.get("error_traces"));
            collect(alerts, s, "rules");
            List<Map<String, Object>> segments = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = scopes.prefixScan(agentId + SEP, new StringSerializer())) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    Map<String, Object> seg = views.scope(kv.key, kv.value);
                    collect(alerts, seg, "rules");
                    segments.add(seg);
                }
            }
            if (!segments.isEmpty()) {
                out.put("segments", segments);
            }
        }
        known |= detector(out, alerts, "daily_budget", StoreNames.AGENT_DAILY_BUDGETS, agentId, views::dailyBudget);
        known |= detector(out, alerts, "silence", StoreNames.AGENT_SILENCE, agentId, views::silence);
        known |= detector(out, alerts, "releases", StoreNames.AGENT_RELEASES, agentId, views::releases);
        byte[] tools = bytes(StoreNames.AGENT_TOOLS, agentId);
        if (tools != null) {
            known = true;
            List<Map<String, Object>> list = views.tools(tools);
            for (Map<String, Object> t : list) {
                collect(alerts, t, "tool " + t.get("tool_name"));
            }
            out.put("tools", list);
        }
        byte[] cause = bytes(StoreNames.CASCADE_CAUSES, agentId);
        if (cause != null) {
            out.put("cascade_cause", views.cascadeCause(cause));
        }
        out.put("active_alerts", alerts);
        return known ? Optional.of(out) : Optional.empty();
    }

    /** The states of a session held here, one per agent that took part in it (sessions live on their agent's task). */
    public List<Map<String, Object>> session(String sessionId) {
        List<Map<String, Object>> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, byte[]> sessions = stores.keyValue(StoreNames.SESSIONS);
        if (sessions == null) {
            return out;
        }
        try (KeyValueIterator<String, byte[]> it = sessions.prefixScan(sessionId + SEP, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("agent_id", kv.key.substring(kv.key.lastIndexOf(SEP) + 1));
                state.putAll(views.session(kv.value));
                out.add(state);
            }
        }
        return out;
    }

    /** This instance's part of the fleet summary: a row per agent and the tools' totals by name. */
    public Map<String, Object> fleet() {
        List<Map<String, Object>> agents = new ArrayList<>();
        ReadOnlyKeyValueStore<String, byte[]> scopes = stores.keyValue(StoreNames.AGENT_SCOPES);
        if (scopes != null) {
            try (KeyValueIterator<String, byte[]> it = scopes.all()) {
                while (it.hasNext()) {
                    String agentId = it.next().key;
                    if (agentId.indexOf(SEP) >= 0) {
                        continue;
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("agent_id", agentId);
                    byte[] daily = bytes(StoreNames.AGENT_DAILY_BUDGETS, agentId);
                    if (daily != null) {
                        Map<String, Object> d = views.dailyBudget(daily);
                        row.put("day", d.get("day"));
                        row.put("cost_today_usd", d.get("cost_usd"));
                        row.put("tokens_today", d.get("tokens"));
                    }
                    WindowState w = windows(agentId);
                    Pane p = w == null ? null : w.window(fleetWindow);
                    if (p != null) {
                        row.put("window", fleetWindow + "m");
                        row.put("events", p.events());
                        row.put("cost_usd", finite(p.metric(WindowMetric.COST)));
                        row.put("error_rate", finite(p.metric(WindowMetric.ERROR_RATE)));
                        row.put("latency_p95_ms", finite(p.metric(WindowMetric.LATENCY_P95)));
                    }
                    agents.add(row);
                }
            }
        }
        Map<String, Map<String, Object>> tools = new TreeMap<>();
        ReadOnlyKeyValueStore<String, byte[]> toolStore = stores.keyValue(StoreNames.AGENT_TOOLS);
        if (toolStore != null) {
            try (KeyValueIterator<String, byte[]> it = toolStore.all()) {
                while (it.hasNext()) {
                    for (Map<String, Object> t : views.tools(it.next().value)) {
                        addTool(tools, t);
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agents", agents);
        out.put("tools", new ArrayList<>(tools.values()));
        return out;
    }

    /** Merges the fleet parts of every instance: agents by cost today, tools summed by name, the top {@code top} of each ranking. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> mergeFleet(List<Map<String, Object>> parts, int top) {
        List<Map<String, Object>> agents = new ArrayList<>();
        Map<String, Map<String, Object>> tools = new TreeMap<>();
        for (Map<String, Object> part : parts) {
            agents.addAll((List<Map<String, Object>>) part.getOrDefault("agents", List.of()));
            for (Map<String, Object> t : (List<Map<String, Object>>) part.getOrDefault("tools", List.of())) {
                addTool(tools, t);
            }
        }
        agents.sort(Comparator.comparingDouble((Map<String, Object> a) -> number(a.get("cost_today_usd"))).reversed()
                .thenComparing(a -> (String) a.get("agent_id")));
        List<Map<String, Object>> byTime = new ArrayList<>(tools.values());
        byTime.sort(Comparator.comparingDouble((Map<String, Object> t) -> number(t.get("total_latency_ms"))).reversed());
        List<Map<String, Object>> byFailures = new ArrayList<>(tools.values());
        byFailures.sort(Comparator.comparingDouble((Map<String, Object> t) -> number(t.get("failures"))).reversed());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agents", agents);
        out.put("top_tools_by_time", byTime.subList(0, Math.min(top, byTime.size())));
        out.put("top_tools_by_failures", byFailures.subList(0, Math.min(top, byFailures.size())));
        return out;
    }

    private static void addTool(Map<String, Map<String, Object>> tools, Map<String, Object> t) {
        String name = (String) t.get("tool_name");
        Map<String, Object> sum = tools.computeIfAbsent(name, n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool_name", n);
            m.put("agents", 0L);
            m.put("calls", 0L);
            m.put("failures", 0L);
            m.put("timeouts", 0L);
            m.put("total_latency_ms", 0L);
            return m;
        });
        long agents = t.containsKey("agents") ? (long) number(t.get("agents")) : 1;
        sum.put("agents", (long) number(sum.get("agents")) + agents);
        for (String k : List.of("calls", "failures", "timeouts", "total_latency_ms")) {
            sum.put(k, (long) number(sum.get(k)) + (long) number(t.get(k)));
        }
        long calls = (long) number(sum.get("calls"));
        sum.put("mean_latency_ms", calls == 0 ? null : number(sum.get("total_latency_ms")) / calls);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private WindowState windows(String agentId) {
        ReadOnlyWindowStore<String, byte[]> panes = stores.window(StoreNames.AGENT_PANES);
        if (panes == null) {
            return null;
        }
        long latest = Long.MIN_VALUE;
        try (WindowStoreIterator<byte[]> it = panes.backwardFetch(agentId, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            if (it.hasNext()) {
                latest = it.next().key;
            }
        }
        if (latest == Long.MIN_VALUE) {
            return null;
        }
        return WindowState.rebuild(agentId, PANE_MS, windows, latest, latest, new ReadOnlyPanes(panes));
    }

    private static Map<String, Object> metrics(Pane window) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (window == null) {
            return m;
        }
        for (WindowMetric metric : WindowMetric.values()) {
            m.put(metric.name().toLowerCase(Locale.ROOT), finite(window.metric(metric)));
        }
        return m;
    }

    private static Object finite(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }

    private byte[] bytes(String store, String key) {
        ReadOnlyKeyValueStore<String, byte[]> s = stores.keyValue(store);
        return s == null ? null : s.get(key);
    }

    private boolean detector(Map<String, Object> out, List<Map<String, Object>> alerts, String name, String store, String agentId,
                             java.util.function.Function<byte[], Map<String, Object>> view) {
        byte[] b = bytes(store, agentId);
        if (b == null) {
            return false;
        }
        Map<String, Object> v = view.apply(b);
        collect(alerts, v, name);
        out.put(name, v);
        return true;
    }

    @SuppressWarnings("unchecked")
    private static void collect(List<Map<String, Object>> alerts, Map<String, Object> view, String from) {
        Object a = view.get("active_alerts");
        if (a instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> alert = new LinkedHashMap<>((Map<String, Object>) o);
                alert.put("from", from);
                alerts.add(alert);
            }
        }
    }

    /** Panes read through a read-only window store (the query side never writes). */
    private record ReadOnlyPanes(ReadOnlyWindowStore<String, byte[]> store) implements PaneStore {
        @Override
        public Pane load(String scope, long paneStart) {
            byte[] b = store.fetch(scope, paneStart);
            return b == null ? null : Pane.decode(new ByteReader(b));
        }

        @Override
        public void save(String scope, long paneStart, Pane pane) {
            throw new UnsupportedOperationException("queries never write");
        }

        @Override
        public NavigableMap<Long, Pane> range(String scope, long fromStart, long toStart) {
            NavigableMap<Long, Pane> out = new TreeMap<>();
            try (WindowStoreIterator<byte[]> it = store.fetch(scope, Instant.ofEpochMilli(Math.max(0, fromStart)), Instant.ofEpochMilli(toStart))) {
                while (it.hasNext()) {
                    KeyValue<Long, byte[]> kv = it.next();
                    out.put(kv.key, Pane.decode(new ByteReader(kv.value)));
                }
            }
            return out;
        }
    }
}
