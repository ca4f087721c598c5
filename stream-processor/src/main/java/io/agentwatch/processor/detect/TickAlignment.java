package io.agentwatch.processor.detect;

import java.time.Duration;
import org.apache.kafka.streams.processor.Punctuator;

/**
 * Event-time ticks at fixed multiples of their interval. Kafka Streams starts a stream-time punctuation schedule at
 * the first record a task processes, so the moments of its ticks depend on where the task (re)started: after a
 * crash, a rebalance or in a replay they fall elsewhere, and the alerts a tick writes (a release regression firing,
 * a loop resolving) would carry other times and other alert ids than the run without the restart. Handing the tick
 * the last multiple of the interval at or before the punctuation's time makes those times the same in every run.
 */
final class TickAlignment {
    private TickAlignment() {
    }

    static Punctuator aligned(Duration interval, Punctuator tick) {
        long every = interval.toMillis();
        return timestamp -> tick.punctuate(timestamp - Math.floorMod(timestamp, every));
    }
}
