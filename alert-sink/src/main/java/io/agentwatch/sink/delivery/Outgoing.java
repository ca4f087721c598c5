package io.agentwatch.sink.delivery;

import java.net.URI;
import java.util.List;

/**
 * One request a receiver will make (and retry) for some alerts of a notification: PagerDuty takes one event per
 * alert, the others one request per notification.
 *
 * @param alerts the alerts this request delivers: all of them succeed, or all are retried, then dead-lettered
 * @param uri    the endpoint (a secret: never logged; see {@link Redactor})
 * @param body   the JSON body
 */
public record Outgoing(List<Envelope> alerts, URI uri, byte[] body) {
    public Outgoing {
        alerts = List.copyOf(alerts);
    }
}
