package io.agentwatch.simulator.publish;

import java.time.Duration;

/**
 * Where a publication stands.
 *
 * @param sent            events handed to the sink
 * @param acknowledged    events the sink has confirmed
 * @param currentRate     events per second sent since the previous progress report
 * @param elapsed         wall-clock time since the start
 * @param lastEventTimeMs event time of the last event sent, or -1 before the first
 */
public record Progress(long sent, long acknowledged, double currentRate, Duration elapsed, long lastEventTimeMs) {
}
