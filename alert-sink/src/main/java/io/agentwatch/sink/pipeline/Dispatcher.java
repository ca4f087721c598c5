package io.agentwatch.sink.pipeline;

import io.agentwatch.schema.AlertStatus;
import io.agentwatch.sink.SinkMetrics;
import io.agentwatch.sink.delivery.Envelope;
import io.agentwatch.sink.delivery.Notification;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import io.agentwatch.sink.routing.Route;
import io.agentwatch.sink.routing.Router;
import io.agentwatch.sink.state.ActiveAlerts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Between the consumer and the receiver lanes: routes each alert, holds cascade-caused alerts for a short while to
 * learn whether their root alert is firing (inhibition), applies repeat_interval, and keeps the group and digest
 * buffers, flushing them on {@link #tick()}. Every (alert, receiver) it takes on is registered as owed in the
 * partition's tracker first, and marked done when the receiver finishes, or here when the alert is suppressed: so
 * an alert waiting in a buffer keeps its offset uncommitted. Called from the consumer thread and the tick thread;
 * all methods are synchronized.
 */
public final class Dispatcher {
    private final Router router;
    private final Map<String, ReceiverSpec> receivers;
    private final Map<String, ReceiverLane> lanes;
    private final ActiveAlerts view;
    private final Duration hold;
    private final Supplier<Instant> clock;
    private final SinkMetrics metrics;

    private final Map<String, Held> held = new LinkedHashMap<>();
    private final LinkedHashMap<String, Boolean> inhibited = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    };
    private final Map<String, Instant> lastFiringSent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > 100_000;
        }
    };
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Digest> digests = new LinkedHashMap<>();

    public Dispatcher(Router router, Map<String, ReceiverSpec> receivers, Map<String, ReceiverLane> lanes, ActiveAlerts view,
                      Duration hold, Supplier<Instant> clock, SinkMetrics metrics) {
        this.router = router;
        this.receivers = receivers;
        this.lanes = lanes;
        this.view = view;
        this.hold = hold;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Takes one alert, in partition order. */
    public synchronized void accept(Envelope e, PartitionTracker tracker) {
        List<Route> routes = new ArrayList<>();
        for (Route r : router.routesFor(e.labels())) {
            if (tracker.owed(e.offset(), r.receiver())) {
                routes.add(r);
            }
        }
        if (routes.isEmpty()) {
            return;
        }
        for (Route r : routes) {
            tracker.owe(e.offset(), r.receiver());
        }
        String fp = e.fingerprint();
        String root = e.labels().get(AlertLabels.CAUSED_BY);
        Held h = held.get(fp);
        if (h != null) {
            h.items.add(new Pending(e, routes));
            return;
        }
        boolean firing = e.alert().getStatus() == AlertStatus.FIRING;
        if (inhibited.containsKey(fp)) {
            if (!firing) {
                inhibited.remove(fp);
            }
            suppress(e, routes);
            return;
        }
        if (root == null || !firing) {
            send(e, routes);
            return;
        }
        Optional<AlertStatus> rootStatus = view.status(root);
        if (rootStatus.isPresent()) {
            decide(e, routes, rootStatus.get());
            return;
        }
        Held fresh = new Held(root, clock.get().plus(hold));
        fresh.items.add(new Pending(e, routes));
        held.put(fp, fresh);
    }

    private void decide(Envelope e, List<Route> routes, AlertStatus rootStatus) {
        if (rootStatus == AlertStatus.FIRING && e.alert().getStatus() == AlertStatus.FIRING) {
            inhibited.put(e.fingerprint(), Boolean.TRUE);
            suppress(e, routes);
        } else if (inhibited.containsKey(e.fingerprint())) {
            if (e.alert().getStatus() != AlertStatus.FIRING) {
                inhibited.remove(e.fingerprint());
            }
            suppress(e, routes);
        } else {
            send(e, routes);
        }
    }

    private void suppress(Envelope e, List<Route> routes) {
        for (Route r : routes) {
            metrics.suppressed("inhibited");
            e.owner().done(e.offset(), r.receiver());
        }
    }

    private void send(Envelope e, List<Route> routes) {
        Instant now = clock.get();
        for (Route r : routes) {
            ReceiverSpec spec = receivers.get(r.receiver());
            String repeatKey = r.path() + "|" + e.fingerprint();
            if (e.alert().getStatus() == AlertStatus.FIRING) {
                Instant last = lastFiringSent.get(repeatKey);
                if (last != null && !r.repeatInterval().isZero() && now.isBefore(last.plus(r.repeatInterval()))) {
                    metrics.suppressed("repeat");
                    e.owner().done(e.offset(), r.receiver());
                    continue;
                }
                lastFiringSent.put(repeatKey, now);
            } else {
                lastFiringSent.remove(repeatKey);
            }
            Map<String, String> groupLabels = groupLabels(r, e.labels());
            String groupKey = r.path() + ":" + groupLabels;
            if (spec.type() == ReceiverSpec.Type.DIGEST) {
                digests.computeIfAbsent(spec.name(), n -> new Digest(spec, now)).items.add(e);
            } else if (r.immediate()) {
                lanes.get(r.receiver()).submit(new Notification(r.receiver(), groupKey, groupLabels, List.of(e), Optional.empty()));
            } else {
                Group g = groups.computeIfAbsent(groupKey, k -> new Group(r, k, groupLabels, now.plus(r.groupWait())));
                if (g.items.isEmpty() && g.lastFlush != null) {
                    Instant next = g.lastFlush.plus(r.groupInterval());
                    g.nextFlush = next.isAfter(now) ? next : now;
                }
                g.items.add(e);
            }
        }
    }

    static Map<String, String> groupLabels(Route r, Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        if (r.groupBy().contains(Route.ALL_LABELS)) {
            out.putAll(labels);
            return out;
        }
        for (String name : r.groupBy()) {
            out.put(name, labels.getOrDefault(name, ""));
        }
        return out;
    }

    /** Releases held alerts whose root is known or whose hold is over, flushes due groups and digests. */
    public synchronized void tick() {
        Instant now = clock.get();
        for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Held h = it.next().getValue();
            Optional<AlertStatus> rootStatus = view.status(h.root);
            if (rootStatus.isEmpty() && now.isBefore(h.deadline)) {
                continue;
            }
            it.remove();
            for (Pending p : h.items) {
                decide(p.envelope, p.routes, rootStatus.orElse(AlertStatus.RESOLVED));
            }
        }
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
            Group g = it.next();
            if (!g.items.isEmpty() && !now.isBefore(g.nextFlush)) {
                lanes.get(g.route.receiver()).submit(new Notification(g.route.receiver(), g.key, g.labels, g.items, Optional.empty()));
                g.items = new ArrayList<>();
                g.lastFlush = now;
            } else if (g.items.isEmpty() && g.lastFlush != null && now.isAfter(g.lastFlush.plus(g.route.groupInterval()))) {
                it.remove();
            }
        }
        for (Digest d : digests.values()) {
            if (!now.isBefore(d.end)) {
                if (!d.items.isEmpty()) {
                    String target = d.spec.sendTo().orElseThrow();
                    lanes.get(target).submit(new Notification(d.spec.name(), "digest:" + d.spec.name() + ":" + d.start, Map.of(), d.items,
                            Optional.of(new Notification.Period(d.start, d.end))));
                    d.items = new ArrayList<>();
                }
                d.align(now);
            }
        }
    }

    /** Alerts waiting in the hold, groups and digests. */
    public synchronized int buffered() {
        int n = 0;
        for (Held h : held.values()) {
            n += h.items.size();
        }
        for (Group g : groups.values()) {
            n += g.items.size();
        }
        for (Digest d : digests.values()) {
            n += d.items.size();
        }
        return n;
    }

    /** Forgets buffered alerts of partitions no longer ours; their new owner delivers them. */
    public synchronized void dropInactive() {
        held.values().forEach(h -> h.items.removeIf(p -> !p.envelope.owner().active()));
        held.values().removeIf(h -> h.items.isEmpty());
        groups.values().forEach(g -> g.items.removeIf(e -> !e.owner().active()));
        digests.values().forEach(d -> d.items.removeIf(e -> !e.owner().active()));
    }

    private record Pending(Envelope envelope, List<Route> routes) {
    }

    private static final class Held {
        final String root;
        final Instant deadline;
        final List<Pending> items = new ArrayList<>();

        Held(String root, Instant deadline) {
            this.root = root;
            this.deadline = deadline;
        }
    }

    private static final class Group {
        final Route route;
        final String key;
        final Map<String, String> labels;
        List<Envelope> items = new ArrayList<>();
        Instant nextFlush;
        Instant lastFlush;

        Group(Route route, String key, Map<String, String> labels, Instant nextFlush) {
            this.route = route;
            this.key = key;
            this.labels = labels;
            this.nextFlush = nextFlush;
        }
    }

    private static final class Digest {
        final ReceiverSpec spec;
        List<Envelope> items = new ArrayList<>();
        Instant start;
        Instant end;

        Digest(ReceiverSpec spec, Instant now) {
            this.spec = spec;
            align(now);
        }

        /** The UTC-aligned period containing now: hourly digests start on the hour, daily ones at midnight UTC. */
        void align(Instant now) {
            long period = spec.period().toMillis();
            long startMs = Math.floorDiv(now.toEpochMilli(), period) * period;
            start = Instant.ofEpochMilli(startMs);
            end = start.plusMillis(period);
        }
    }
}
