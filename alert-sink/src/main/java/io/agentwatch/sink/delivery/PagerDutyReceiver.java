package io.agentwatch.sink.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.schema.Alert;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * PagerDuty Events API v2: one event per alert, {@code event_action} trigger for FIRING and resolve for RESOLVED,
 * {@code dedup_key} = the fingerprint, so that PagerDuty keeps one incident per fingerprint however often the sink
 * (or a restart of it) sends the same event. The answer is 202; 400 (invalid event) is final, 429 is retried.
 */
public final class PagerDutyReceiver implements Receiver {
    static final int MAX_SUMMARY = 1024;

    private final ReceiverSpec spec;
    private final HttpSender sender;
    private final AlertText text;
    private final URI uri;

    public PagerDutyReceiver(ReceiverSpec spec, HttpSender sender, AlertText text) {
        this.spec = spec;
        this.sender = sender;
        this.text = text;
        this.uri = URI.create(spec.url().orElseThrow().value());
    }

    @Override
    public ReceiverSpec spec() {
        return spec;
    }

    @Override
    public List<Outgoing> render(Notification n) {
        List<Outgoing> out = new ArrayList<>();
        for (Envelope e : n.alerts()) {
            out.add(new Outgoing(List.of(e), uri, Json.bytes(event(e.alert()))));
        }
        return out;
    }

    /** The Events API v2 body for one alert. */
    public ObjectNode event(Alert a) {
        ObjectNode event = Json.object();
        event.put("routing_key", spec.routingKey().orElseThrow().value());
        event.put("dedup_key", a.getFingerprint());
        if (!AlertText.firing(a)) {
            event.put("event_action", "resolve");
            return event;
        }
        event.put("event_action", "trigger");
        ObjectNode payload = event.putObject("payload");
        String summary = "[" + a.getAlertname() + "] " + a.getSummary();
        payload.put("summary", summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 3) + "..." : summary);
        payload.put("source", AlertText.subject(a));
        payload.put("severity", AlertLabels.severity(a));
        payload.put("timestamp", a.getStartsAt().toString());
        if (a.getScope() != null && a.getScope().getAgentId() != null) {
            payload.put("component", a.getScope().getAgentId());
        }
        String group = a.getLabels().getOrDefault("workflow", a.getScope() == null ? null : a.getScope().getTenant());
        if (group != null) {
            payload.put("group", group);
        }
        payload.put("class", a.getAlertname());
        ObjectNode details = payload.putObject("custom_details");
        AlertText.annotations(a).forEach(details::put);
        details.put("fingerprint", a.getFingerprint());
        details.put("starts_at", a.getStartsAt().toString());
        if (a.getWindowStart() != null && a.getWindowEnd() != null) {
            details.put("window", a.getWindowStart() + " .. " + a.getWindowEnd());
        }
        ObjectNode labels = details.putObject("labels");
        AlertLabels.of(a).forEach(labels::put);
        event.put("client", "agentwatch");
        event.put("client_url", text.link(a));
        ArrayNode links = event.putArray("links");
        links.addObject().put("href", text.link(a)).put("text", "agentwatch: " + a.getAlertname());
        return event;
    }

    @Override
    public Attempt send(Outgoing outgoing) {
        return sender.postJson(outgoing);
    }
}
