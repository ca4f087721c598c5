package io.agentwatch.simulator.score;

import java.time.Duration;

/**
 * One line of the score table.
 *
 * @param alertname    the alertname, or TOTAL
 * @param incidents    incidents counted in this row (detected by this alertname, or missed with it as their first
 *                     expected alertname)
 * @param detected     of those, detected
 * @param missed       of those, missed
 * @param falseAlarms  distinct fingerprints of FIRING alerts with this alertname that match no incident
 * @param sideEffects  distinct fingerprints tolerated as side effects or suppressed by a true cascade
 * @param ttdMedian    median time to detect of the detected incidents, or null
 * @param ttdMax       maximum time to detect, or null
 */
public record ScoreRow(String alertname, int incidents, int detected, int missed, int falseAlarms, int sideEffects,
                       Duration ttdMedian, Duration ttdMax) {
}
