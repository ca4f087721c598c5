package io.agentwatch.sink.routing;

import java.time.Duration;
import java.util.Optional;

/**
 * One receiver of the routes file, validated.
 *
 * @param name           unique name routes refer to (letters, digits, '-', '_', '.')
 * @param type           the kind of endpoint
 * @param url            where to send; always treated as a secret because webhook URLs embed their token
 * @param routingKey     PagerDuty integration key (pagerduty only)
 * @param timeout        timeout of one HTTP request
 * @param retry          retry budget
 * @param period         digest period (digest only): 1h or 1d, aligned to UTC
 * @param sendTo         the slack or webhook receiver a digest is sent through (digest only)
 * @param maxAlerts      at most this many alerts are listed in one chat message; the rest are counted
 * @param resendInterval alertmanager only: how often active FIRING alerts are posted again, as Prometheus does, so
 *                       that Alertmanager does not time them out
 */
public record ReceiverSpec(
        String name,
        Type type,
        Optional<Secret> url,
        Optional<Secret> routingKey,
        Duration timeout,
        RetrySpec retry,
        Duration period,
        Optional<String> sendTo,
        int maxAlerts,
        Duration resendInterval) {

    /** The receiver kinds. */
    public enum Type {
        ALERTMANAGER, PAGERDUTY, SLACK, WEBHOOK, DIGEST, LOG;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
