package io.agentwatch.simulator.publish;

import java.util.function.LongSupplier;

/**
 * Decides when an event may be sent: at once (as fast as possible), or when its event time comes on the wall
 * clock (real time). The clock and the sleep are passed in, so tests can drive time by hand.
 */
public interface Pacer {

    /** Waits until the event with this event time may be sent. */
    void await(long eventTimeMs) throws InterruptedException;

    /** No waiting at all. */
    static Pacer asFastAsPossible() {
        return eventTimeMs -> {
        };
    }

    /**
     * Sends each event when {@code eventTime - simulationStart} has passed on the wall clock since this pacer was
     * made (the simulation start is normally the wall clock at start, so event times and wall clock agree).
     *
     * @param nanoClock a monotonic clock in nanoseconds, e.g. {@code System::nanoTime}
     * @param sleeper   how to wait a number of milliseconds, e.g. {@code Thread::sleep}
     */
    static Pacer realTime(long simulationStartMs, LongSupplier nanoClock, Sleeper sleeper) {
        return scaled(simulationStartMs, 1.0, nanoClock, sleeper);
    }

    /**
     * Like {@link #realTime} but {@code speed} times faster: one simulated minute takes {@code 60 / speed} wall
     * seconds. With the simulation starting {@code duration} in the past, event times stay behind the wall clock
     * (as Kafka and the processor require) while a long scenario plays in a short demo.
     */
    static Pacer scaled(long simulationStartMs, double speed, LongSupplier nanoClock, Sleeper sleeper) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, got " + speed);
        }
        long wallStart = nanoClock.getAsLong();
        return eventTimeMs -> {
            long dueNanos = wallStart + (long) ((eventTimeMs - simulationStartMs) * 1_000_000L / speed);
            long aheadMs = (dueNanos - nanoClock.getAsLong()) / 1_000_000L;
            if (aheadMs > 0) {
                sleeper.sleep(aheadMs);
            }
        };
    }

    /** A sleep that tests can replace. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }
}
