package io.agentwatch.simulator.score;

import io.agentwatch.simulator.truth.GroundTruth;
import java.time.Duration;

/**
 * How one incident fared.
 *
 * @param incident     the ground truth
 * @param detectedBy   alertname of the earliest matching FIRING alert, or null if missed
 * @param fingerprint  its fingerprint, or null
 * @param timeToDetect its starts_at minus the incident's start (event time), or null if missed
 */
public record IncidentScore(GroundTruth incident, String detectedBy, String fingerprint, Duration timeToDetect) {

    public boolean detected() {
        return detectedBy != null;
    }

    /** The table row the incident counts in: the alertname that detected it, else its first expected one. */
    public String row() {
        return detected() ? detectedBy : incident.expectedAlertnames().get(0);
    }
}
