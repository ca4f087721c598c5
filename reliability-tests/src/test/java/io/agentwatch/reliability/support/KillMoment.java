package io.agentwatch.reliability.support;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;

/**
 * When a SIGKILL lands, relative to what the processor is doing: at a random moment while it processes; right after a commit shows in
 * its metrics (the next transaction is open, its state writes under way); or while it restores its state from the
 * changelogs after a restart.
 */
public enum KillMoment {
    RANDOM, AFTER_COMMIT, DURING_RESTORE;

    /** What happened when the kill was aimed. */
    public record Aim(KillMoment moment, boolean hit, String note) {
    }

    /** Waits for this moment on the (just started) instance; the caller kills it right after. */
    public Aim await(ProcessorInstance p, Random random, Duration maxRandomDelay) throws InterruptedException {
        switch (this) {
            case RANDOM -> {
                // after RUNNING: before it, nothing is processed and a kill tests only the start
                p.awaitRunning(Duration.ofMinutes(3));
                long ms = 300 + (long) (random.nextDouble() * Math.max(1, maxRandomDelay.toMillis() - 300));
                Thread.sleep(ms);
                return new Aim(this, true, ms + " ms after RUNNING");
            }
            case AFTER_COMMIT -> {
                p.awaitRunning(Duration.ofMinutes(3));
                long first = -1;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    OptionalLong commits = p.metric("kafka_stream_thread_commit_total");
                    if (commits.isPresent()) {
                        if (first < 0) {
                            first = commits.getAsLong();
                        } else if (commits.getAsLong() > first) {
                            return new Aim(this, true, "commit #" + commits.getAsLong() + " of this start just completed");
                        }
                    }
                    Thread.sleep(10);
                }
                return new Aim(this, false, "no commit within 30 s of RUNNING (nothing left to process?)");
            }
            case DURING_RESTORE -> {
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (System.nanoTime() < deadline) {
                    String text = p.logSinceStart();
                    int restoring = text.indexOf("restoring ");
                    if (restoring >= 0) {
                        boolean running = text.contains("-> RUNNING");
                        return new Aim(this, !running, running ? "restoration seen only after RUNNING" : "while restoring: " + lineAt(text, restoring));
                    }
                    if (text.contains("-> RUNNING") && !p.isAlive()) {
                        break;
                    }
                    if (!p.isAlive()) {
                        throw new IllegalStateException(p.name() + " exited while the test waited for its restoration; see " + p.logFile());
                    }
                    Thread.sleep(5);
                }
                return new Aim(this, false, "no restoration within 2 minutes of start");
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static String lineAt(String text, int index) {
        int end = text.indexOf('\n', index);
        return text.substring(index, end < 0 ? text.length() : end).trim();
    }
}
