package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.processor.stats.LatencySketch;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent statistics of an agent's releases: at most {@link #MAX_VERSIONS} versions (the newest and the one it
 * is compared with), each with its error rate, latency sketch, cost and successful runs over the last one to two
 * stats windows (two buckets of one window each: the current and the previous), and the regression alert.
 */
final class ReleaseStats {
    static final int MAX_VERSIONS = 2;

    final List<Version> versions = new ArrayList<>(MAX_VERSIONS);
    AlertState[] alerts;
    /** The versions the active alerts are about (the newest and its baseline when they fired). */
    String alertVersion;
    String alertBaseline;
    String tenant;
    String workflow;

    /** Counters of one bucket. */
    static final class Bucket {
        long events;
        long errors;
        long succeeded;
        double cost;
        final LatencySketch latency;

        Bucket() {
            this(new LatencySketch());
        }

        private Bucket(LatencySketch latency) {
            this.latency = latency;
        }

        void merge(Bucket o) {
            events += o.events;
            errors += o.errors;
            succeeded += o.succeeded;
            cost += o.cost;
            latency.merge(o.latency);
        }

        void encode(ByteSink out) {
            out.varLong(events);
            out.varLong(errors);
            out.varLong(succeeded);
            out.doubleValue(cost);
            latency.encode(out);
        }

        static Bucket decode(ByteReader in) {
            long events = in.varLong();
            long errors = in.varLong();
            long succeeded = in.varLong();
            double cost = in.doubleValue();
            Bucket b = new Bucket(LatencySketch.decode(in));
            b.events = events;
            b.errors = errors;
            b.succeeded = succeeded;
            b.cost = cost;
            return b;
        }
    }

    /** One release of the agent. */
    static final class Version {
        final String version;
        long firstSeen;
        long lastSeen;
        long bucketStart;
        Bucket current = new Bucket();
        Bucket previous = new Bucket();

        Version(String version, long ts) {
            this.version = version;
            this.firstSeen = ts;
            this.lastSeen = ts;
            this.bucketStart = ts;
        }

        /** The bucket an event at {@code ts} goes to, rolling the buckets when a window has passed. */
        Bucket bucket(long ts, long window) {
            if (ts >= bucketStart + window) {
                previous = ts >= bucketStart + 2 * window ? new Bucket() : current;
                current = new Bucket();
                bucketStart = ts;
            }
            lastSeen = Math.max(lastSeen, ts);
            return current;
        }

        /** Current and previous bucket together: the version's recent statistics. */
        Bucket recent() {
            Bucket b = new Bucket();
            b.merge(previous);
            b.merge(current);
            return b;
        }
    }

    Version find(String version) {
        for (int i = 0; i < versions.size(); i++) {
            Version v = versions.get(i);
            if (v.version.equals(version)) {
                return v;
            }
        }
        return null;
    }

    /** Adds a version; with two already, the one heard of least recently makes room. */
    Version add(String version, long ts) {
        if (versions.size() >= MAX_VERSIONS) {
            Version stalest = versions.get(0);
            for (Version v : versions) {
                if (v.lastSeen < stalest.lastSeen) {
                    stalest = v;
                }
            }
            versions.remove(stalest);
        }
        Version v = new Version(version, ts);
        versions.add(v);
        return v;
    }

    /** The version that appeared last, or null. */
    Version newest() {
        Version newest = null;
        for (Version v : versions) {
            if (newest == null || v.firstSeen > newest.firstSeen) {
                newest = v;
            }
        }
        return newest;
    }

    /** The version the newest is compared with, or null. */
    Version baseline() {
        Version newest = newest();
        for (Version v : versions) {
            if (v != newest) {
                return v;
            }
        }
        return null;
    }

    AlertState alert(int rule, int rules) {
        if (alerts == null) {
            alerts = new AlertState[rules];
        }
        if (alerts[rule] == null) {
            alerts[rule] = new AlertState();
        }
        return alerts[rule];
    }

    boolean hasActiveAlert() {
        return SessionState.anyActive(alerts);
    }

    void encode(ByteSink out, List<String> ruleIds) {
        out.varLong(1); // layout version
        out.varLong(versions.size());
        for (Version v : versions) {
            out.string(v.version);
            out.varLong(v.firstSeen);
            out.varLong(v.lastSeen - v.firstSeen);
            out.varLong(v.bucketStart - v.firstSeen);
            v.current.encode(out);
            v.previous.encode(out);
        }
        int active = 0;
        for (int i = 0; alerts != null && i < alerts.length; i++) {
            if (alerts[i] != null && alerts[i].isActive()) {
                active++;
            }
        }
        out.varLong(active);
        for (int i = 0; active > 0 && i < alerts.length; i++) {
            if (alerts[i] != null && alerts[i].isActive()) {
                out.string(ruleIds.get(i));
                alerts[i].encode(out);
            }
        }
        if (active > 0) {
            out.optionalString(alertVersion);
            out.optionalString(alertBaseline);
            out.optionalString(tenant);
            out.optionalString(workflow);
        }
    }

    static ReleaseStats decode(byte[] bytes, List<String> ruleIds) {
        ByteReader in = new ByteReader(bytes);
        long layout = in.varLong();
        if (layout != 1) {
            throw new IllegalStateException("unknown release stats layout " + layout);
        }
        ReleaseStats r = new ReleaseStats();
        int n = in.varInt();
        for (int i = 0; i < n; i++) {
            String version = in.string();
            long first = in.varLong();
            Version v = new Version(version, first);
            v.lastSeen = first + in.varLong();
            v.bucketStart = first + in.varLong();
            v.current = Bucket.decode(in);
            v.previous = Bucket.decode(in);
            r.versions.add(v);
        }
        int active = in.varInt();
        for (int i = 0; i < active; i++) {
            String ruleId = in.string();
            AlertState state = AlertState.decode(in);
            int index = ruleIds.indexOf(ruleId);
            if (index >= 0) {
                r.alert(index, ruleIds.size());
                r.alerts[index] = state;
            }
        }
        if (active > 0) {
            r.alertVersion = in.optionalString();
            r.alertBaseline = in.optionalString();
            r.tenant = in.optionalString();
            r.workflow = in.optionalString();
        }
        return r;
    }

    Map<String, Object> describe(List<String> ruleIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Version v : versions) {
            Bucket b = v.recent();
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("agent_version", v.version);
            vm.put("first_seen", Instant.ofEpochMilli(v.firstSeen).toString());
            vm.put("last_seen", Instant.ofEpochMilli(v.lastSeen).toString());
            vm.put("events", b.events);
            vm.put("error_rate", b.events == 0 ? null : b.errors / (double) b.events);
            vm.put("latency_p95_ms", b.latency.isEmpty() ? null : b.latency.quantile(0.95));
            vm.put("successful_runs", b.succeeded);
            vm.put("cost_per_successful_run", b.succeeded == 0 ? null : b.cost / b.succeeded);
            list.add(vm);
        }
        m.put("versions", list);
        m.put("active_alerts", DetectorViews.activeAlerts(alerts, ruleIds));
        return m;
    }
}
