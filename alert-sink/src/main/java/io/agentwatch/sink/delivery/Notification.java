package io.agentwatch.sink.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one receiver is asked to send: one alert, a group of alerts collected by a route, or a digest.
 *
 * @param tracked     the receiver name completions are recorded under (the digest's name for a digest, which is
 *                    sent through another receiver)
 * @param groupKey    identifies the route and group, e.g. {@code route.routes[0]:{alertname="X"}}
 * @param groupLabels the labels the group was made by
 * @param alerts      in the order the consumer read them
 * @param digest      the period the digest covers, for digests
 */
public record Notification(String tracked, String groupKey, Map<String, String> groupLabels, List<Envelope> alerts,
                           Optional<Period> digest) {

    public Notification {
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
    }

    /** A digest period. */
    public record Period(Instant start, Instant end) {
    }
}
