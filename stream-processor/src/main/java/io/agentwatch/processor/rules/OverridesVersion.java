package io.agentwatch.processor.rules;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter the global rules-store updater bumps on every override change, so that each processor knows when to
 * drop the effective rules it has cached. Shared by the threads of one topology instance.
 */
public final class OverridesVersion {
    private final AtomicLong version = new AtomicLong();

    public long get() {
        return version.get();
    }

    public void bump() {
        version.incrementAndGet();
    }
}
