package io.agentwatch.processor.stats;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The sliding windows of one scope, at one-minute resolution. Live: the current pane, the previous pane (still
 * open to late events within the grace period), and one aggregate per window length (5m, 10m, ...), each the sum
 * of the panes it covers. An event adds to its pane and to every aggregate that covers it; when a pane falls out of
 * a window the aggregate subtracts it, fetched from the store. So an event costs a few additions and a window read
 * costs nothing, whatever the window length.
 *
 * <p>A window of W minutes ending in the current pane covers that pane and the W-1 before it. Panes leave the
 * live state when they are two panes old: they are saved to the store then, and {@code SealListener} is told (the
 * agent's baselines learn from sealed panes only, which late events can no longer change).
 */
public final class WindowState {
    private final long paneMs;
    private final int[] windows;
    private final Pane[] aggregates;
    private long currentStart;
    private Pane current;
    private Pane previous;
    private boolean currentDirty;
    private boolean previousDirty;

    /** Told when a pane becomes final. */
    public interface SealListener {
        void sealed(String scope, long paneStart, Pane pane);
    }

    private WindowState(long paneMs, int[] windows, long currentStart) {
        this.paneMs = paneMs;
        this.windows = windows.clone();
        Arrays.sort(this.windows);
        if (this.windows.length == 0 || this.windows[0] < 1) {
            throw new IllegalArgumentException("window lengths must be >= 1 pane: " + Arrays.toString(windows));
        }
        this.aggregates = new Pane[this.windows.length];
        for (int i = 0; i < aggregates.length; i++) {
            aggregates[i] = new Pane();
        }
        this.currentStart = currentStart;
        this.current = new Pane();
    }

    /** An empty state whose current pane starts at {@code paneStart}. */
    public static WindowState empty(long paneMs, int[] windows, long paneStart) {
        return new WindowState(paneMs, windows, paneStart);
    }

    /**
     * Rebuilds the live state from the store as of its latest stored pane (or empty at {@code paneStart} when the
     * store has none in reach), as the live state was when it left memory. {@code paneStart} is the pane of the
     * moment the state is needed; {@code newestStart} the newest pane the store can hold (that of the task's stream
     * time). The latest stored pane may be newer than {@code paneStart} (the state is loaded for an evaluation
     * point behind stream time, or for a late event): the state is then rebuilt at that newer pane, never at
     * {@code paneStart}, or the next event of the newer pane would start it afresh and drop the events stored in it.
     * When it is older the caller rolls the state forward.
     */
    public static WindowState rebuild(String scope, long paneMs, int[] windows, long paneStart, long newestStart, PaneStore store) {
        int longest = Arrays.stream(windows).max().orElse(1);
        NavigableMap<Long, Pane> stored = store.range(scope, paneStart - (long) longest * paneMs, Math.max(paneStart, newestStart));
        if (stored.isEmpty()) {
            return empty(paneMs, windows, paneStart);
        }
        long latest = stored.lastKey();
        if (latest > paneStart) {
            // the windows end at the latest pane: the longest window back from there, already read
            stored = stored.tailMap(latest - (long) longest * paneMs, true);
        } else if (latest < paneStart) {
            // the windows end at the latest pane, so they reach further back than paneStart's: rolling forward to
            // paneStart subtracts those older panes, which must therefore be in the aggregates
            stored = store.range(scope, latest - (long) longest * paneMs, latest);
        }
        WindowState state = new WindowState(paneMs, windows, latest);
        state.current = stored.get(latest);
        state.previous = stored.get(latest - paneMs);
        for (Map.Entry<Long, Pane> e : stored.entrySet()) {
            long age = (latest - e.getKey()) / paneMs;
            for (int i = 0; i < state.windows.length; i++) {
                if (age < state.windows[i]) {
                    state.aggregates[i].merge(e.getValue());
                }
            }
        }
        return state;
    }

    public long paneStartOf(long timestamp) {
        return Math.floorDiv(timestamp, paneMs) * paneMs;
    }

    public long currentStart() {
        return currentStart;
    }

    /**
     * Adds an event at {@code timestamp}. Returns false, adding nothing, when its pane is older than the previous
     * pane (too late for these windows).
     */
    public boolean add(long timestamp, Contribution c, String scope, PaneStore store, SealListener listener) {
        long start = paneStartOf(timestamp);
        if (start > currentStart) {
            rollTo(start, scope, store, listener);
        }
        if (start == currentStart) {
            current.add(c);
            for (Pane aggregate : aggregates) {
                aggregate.add(c);
            }
            currentDirty = true;
            return true;
        }
        if (start == currentStart - paneMs && previous != null) {
            previous.add(c);
            for (int i = 0; i < windows.length; i++) {
                if (windows[i] >= 2) {
                    aggregates[i].add(c);
                }
            }
            previousDirty = true;
            return true;
        }
        return false;
    }

    /** Moves the current pane forward to {@code paneStart}, sealing and saving the panes that leave the live state. */
    public void rollTo(long paneStart, String scope, PaneStore store, SealListener listener) {
        int longest = windows[windows.length - 1];
        if (paneStart - currentStart > (long) (longest + 1) * paneMs) {
            // idle for longer than every window: nothing live survives
            seal(scope, store, listener);
            sealCurrent(scope, store, listener);
            for (Pane aggregate : aggregates) {
                aggregate.clear();
            }
            previous = null;
            current = new Pane();
            currentStart = paneStart;
            return;
        }
        while (currentStart < paneStart) {
            seal(scope, store, listener);
            if (currentDirty || !current.isEmpty()) {
                store.save(scope, currentStart, current);
            }
            previous = current;
            previousDirty = false;
            currentDirty = false;
            current = new Pane();
            currentStart += paneMs;
            for (int i = 0; i < windows.length; i++) {
                Pane leaving = windows[i] == 1 ? previous : store.load(scope, currentStart - (long) windows[i] * paneMs);
                if (leaving != null) {
                    aggregates[i].subtract(leaving);
                }
            }
        }
    }

    private void seal(String scope, PaneStore store, SealListener listener) {
        if (previous != null) {
            if (previousDirty) {
                store.save(scope, currentStart - paneMs, previous);
            }
            if (!previous.isEmpty()) {
                listener.sealed(scope, currentStart - paneMs, previous);
            }
            previous = null;
            previousDirty = false;
        }
    }

    private void sealCurrent(String scope, PaneStore store, SealListener listener) {
        if (currentDirty) {
            store.save(scope, currentStart, current);
            currentDirty = false;
        }
        if (!current.isEmpty()) {
            listener.sealed(scope, currentStart, current);
        }
    }

    /** Saves the live panes changed since the last save (before a commit). */
    public void flush(String scope, PaneStore store) {
        if (currentDirty) {
            store.save(scope, currentStart, current);
            currentDirty = false;
        }
        if (previousDirty && previous != null) {
            store.save(scope, currentStart - paneMs, previous);
            previousDirty = false;
        }
    }

    public boolean isDirty() {
        return currentDirty || previousDirty;
    }

    /** The aggregate of the last {@code minutes} panes, or null if that window is not maintained. */
    public Pane window(int minutes) {
        int i = Arrays.binarySearch(windows, minutes);
        return i < 0 ? null : aggregates[i];
    }

    public Pane current() {
        return current;
    }

    public int[] windows() {
        return windows.clone();
    }
}
