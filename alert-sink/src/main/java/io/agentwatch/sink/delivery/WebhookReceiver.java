package io.agentwatch.sink.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.schema.Alert;
import io.agentwatch.sink.routing.ReceiverSpec;
import java.net.URI;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic webhook that receives Alertmanager's webhook payload, version 4: {@code version}, {@code groupKey},
 * {@code truncatedAlerts}, {@code status}, {@code receiver}, {@code groupLabels}, {@code commonLabels},
 * {@code commonAnnotations}, {@code externalURL} and {@code alerts[]} with status, labels, annotations, startsAt,
 * endsAt (Alertmanager's zero time while firing), generatorURL and fingerprint. Anything written for Alertmanager
 * webhooks reads it. One request per notification (a single alert, a group, or a digest).
 */
public final class WebhookReceiver implements Receiver {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ReceiverSpec spec;
    private final HttpSender sender;
    private final AlertText text;
    private final URI uri;

    public WebhookReceiver(ReceiverSpec spec, HttpSender sender, AlertText text) {
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
        return List.of(new Outgoing(n.alerts(), uri, Json.bytes(payload(n))));
    }

    /** The webhook v4 body. */
    public ObjectNode payload(Notification n) {
        ObjectNode body = Json.object();
        body.put("version", "4");
        body.put("groupKey", n.groupKey());
        body.put("truncatedAlerts", 0);
        boolean anyFiring = n.alerts().stream().anyMatch(e -> AlertText.firing(e.alert()));
        body.put("status", anyFiring ? "firing" : "resolved");
        body.put("receiver", n.tracked());
        ObjectNode groupLabels = body.putObject("groupLabels");
        n.groupLabels().forEach(groupLabels::put);
        ObjectNode common = body.putObject("commonLabels");
        common(n.alerts().stream().map(Envelope::labels).toList()).forEach(common::put);
        ObjectNode commonAnn = body.putObject("commonAnnotations");
        common(n.alerts().stream().map(e -> AlertText.annotations(e.alert())).toList()).forEach(commonAnn::put);
        body.put("externalURL", text.publicUrl());
        ArrayNode alerts = body.putArray("alerts");
        for (Envelope e : n.alerts()) {
            Alert a = e.alert();
            ObjectNode item = alerts.addObject();
            item.put("status", AlertText.firing(a) ? "firing" : "resolved");
            ObjectNode labels = item.putObject("labels");
            e.labels().forEach(labels::put);
            ObjectNode ann = item.putObject("annotations");
            AlertText.annotations(a).forEach(ann::put);
            item.put("startsAt", a.getStartsAt().toString());
            item.put("endsAt", !AlertText.firing(a) && a.getEndsAt() != null ? a.getEndsAt().toString() : ZERO_TIME);
            item.put("generatorURL", text.link(a));
            item.put("fingerprint", a.getFingerprint());
        }
        return body;
    }

    /** The entries every map has with the same value. */
    static Map<String, String> common(List<Map<String, String>> maps) {
        if (maps.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(maps.get(0));
        for (Map<String, String> m : maps.subList(1, maps.size())) {
            out.entrySet().removeIf(en -> !en.getValue().equals(m.get(en.getKey())));
        }
        return new TreeMap<>(out);
    }

    @Override
    public Attempt send(Outgoing outgoing) {
        return sender.postJson(outgoing);
    }
}
