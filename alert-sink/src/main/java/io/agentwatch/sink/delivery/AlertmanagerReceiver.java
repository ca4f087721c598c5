package io.agentwatch.sink.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.schema.Alert;
import io.agentwatch.sink.routing.ReceiverSpec;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prometheus Alertmanager, API v2: {@code POST <url>/api/v2/alerts} with a list of postable alerts (labels,
 * annotations, startsAt, endsAt, generatorURL), so that teams keep Alertmanager's silences, inhibitions and routing.
 * Like Prometheus, the sink re-posts active FIRING alerts every {@code resend_interval} with
 * {@code endsAt = now + 4 x resend_interval}: if the sink stops, Alertmanager resolves them by itself after that
 * time instead of keeping stale alerts forever. A RESOLVED alert is posted with its {@code ends_at}. Label names are
 * made valid for Alertmanager (anything but letters, digits and '_' becomes '_'); the label {@code fingerprint}
 * carries agentwatch's fingerprint, so one incident is one Alertmanager alert.
 */
public final class AlertmanagerReceiver implements Receiver {
    private final ReceiverSpec spec;
    private final HttpSender sender;
    private final AlertText text;
    private final URI uri;
    private final Supplier<Instant> clock;

    public AlertmanagerReceiver(ReceiverSpec spec, HttpSender sender, AlertText text, Supplier<Instant> clock) {
        this.spec = spec;
        this.sender = sender;
        this.text = text;
        this.clock = clock;
        String base = spec.url().orElseThrow().value();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.uri = URI.create(base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts");
    }

    @Override
    public ReceiverSpec spec() {
        return spec;
    }

    @Override
    public List<Outgoing> render(Notification n) {
        List<Alert> alerts = new ArrayList<>();
        List<Map<String, String>> labels = new ArrayList<>();
        for (Envelope e : n.alerts()) {
            alerts.add(e.alert());
            labels.add(e.labels());
        }
        return List.of(new Outgoing(n.alerts(), uri, Json.bytes(postable(alerts, labels))));
    }

    /** An Outgoing that refreshes alerts already delivered (no envelopes: nothing to complete or dead-letter). */
    public Outgoing refresh(Collection<Alert> alerts, List<Map<String, String>> labels) {
        return new Outgoing(List.of(), uri, Json.bytes(postable(List.copyOf(alerts), labels)));
    }

    /** The API v2 body. */
    public ArrayNode postable(List<Alert> alerts, List<Map<String, String>> labelSets) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        Instant now = clock.get();
        for (int i = 0; i < alerts.size(); i++) {
            Alert a = alerts.get(i);
            ObjectNode item = body.addObject();
            ObjectNode labels = item.putObject("labels");
            labelSets.get(i).forEach((k, v) -> labels.put(labelName(k), v));
            labels.put("fingerprint", a.getFingerprint());
            ObjectNode ann = item.putObject("annotations");
            AlertText.annotations(a).forEach(ann::put);
            item.put("startsAt", a.getStartsAt().toString());
            Instant endsAt;
            if (AlertText.firing(a)) {
                endsAt = now.plus(spec.resendInterval().multipliedBy(4));
            } else {
                endsAt = a.getEndsAt() != null ? a.getEndsAt() : now;
                if (!endsAt.isAfter(a.getStartsAt())) {
                    // Alertmanager refuses an alert whose end is not after its start
                    endsAt = a.getStartsAt().plusMillis(1);
                }
            }
            item.put("endsAt", endsAt.toString());
            item.put("generatorURL", text.link(a));
        }
        return body;
    }

    static String labelName(String name) {
        StringBuilder s = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            s.append(ok ? c : '_');
        }
        return s.length() == 0 ? "_" : s.toString();
    }

    @Override
    public Attempt send(Outgoing outgoing) {
        return sender.postJson(outgoing);
    }
}
