package io.agentwatch.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a child process and all its descendants: a polite termination signal first, then, after a grace period,
 * a forced kill. Children started by the child would otherwise survive it as orphans.
 */
final class ProcessTree {
    private ProcessTree() {
    }

    /** Terminates the process and its descendants; returns true if they all ended. */
    static boolean destroy(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        all.forEach(ProcessHandle::destroy);
        if (awaitExit(all, grace)) {
            return true;
        }
        all.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(all, Duration.ofSeconds(10));
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // onExit never fails; treat it as ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }
}
