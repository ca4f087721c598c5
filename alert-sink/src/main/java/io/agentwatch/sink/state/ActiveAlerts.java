package io.agentwatch.sink.state;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is firing now, and what resolved lately, across every partition of the alert topic (fed by
 * {@link AlertView}). The page reads it, inhibition asks it whether a cascade's root alert is firing, and the
 * Alertmanager refresh re-posts what it holds. Bounded: the last status of at most {@code maxKnown} fingerprints
 * and the last {@code maxResolved} resolved alerts. A version number changes on every update, so that the page's
 * live stream can wait for the next change.
 */
public final class ActiveAlerts {
    private final int maxResolved;
    private final int maxKnown;
    private final Map<String, Alert> firing = new LinkedHashMap<>();
    private final Deque<Alert> resolved = new ArrayDeque<>();
    private final LinkedHashMap<String, AlertStatus> known;
    private long version;

    public ActiveAlerts(int maxResolved, int maxKnown) {
        this.maxResolved = maxResolved;
        this.maxKnown = maxKnown;
        this.known = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AlertStatus> eldest) {
                return size() > ActiveAlerts.this.maxKnown;
            }
        };
    }

    public synchronized void apply(Alert a) {
        String fp = a.getFingerprint();
        known.remove(fp);
        known.put(fp, a.getStatus());
        if (a.getStatus() == AlertStatus.FIRING) {
            firing.put(fp, a);
        } else {
            firing.remove(fp);
            resolved.removeIf(r -> r.getFingerprint().equals(fp));
            resolved.addFirst(a);
            while (resolved.size() > maxResolved) {
                resolved.removeLast();
            }
        }
        version++;
        notifyAll();
    }

    /** The last status seen for the fingerprint, if it was seen. */
    public synchronized Optional<AlertStatus> status(String fingerprint) {
        return Optional.ofNullable(known.get(fingerprint));
    }

    public synchronized Optional<Alert> firing(String fingerprint) {
        return Optional.ofNullable(firing.get(fingerprint));
    }

    /** Firing alerts, most severe first, then oldest first. */
    public synchronized List<Alert> firing() {
        List<Alert> out = new ArrayList<>(firing.values());
        out.sort(Comparator.comparing((Alert a) -> a.getSeverity().ordinal()).thenComparing(Alert::getStartsAt));
        return out;
    }

    /** Recently resolved alerts, newest first. */
    public synchronized List<Alert> resolved() {
        return new ArrayList<>(resolved);
    }

    public synchronized long version() {
        return version;
    }

    /** Waits until the version differs from {@code seen} or the timeout passes; returns the current version. */
    public synchronized long awaitChange(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (version == seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return version;
    }

    /** True when this alert is held back because the cascade alert named by its caused_by label is firing. */
    public boolean inhibited(Alert a) {
        String root = a.getLabels().get(io.agentwatch.sink.routing.AlertLabels.CAUSED_BY);
        return root != null && status(root).orElse(null) == AlertStatus.FIRING;
    }
}
