package io.agentwatch.sink.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook, with a Block Kit message: a header (status, alert name, severity), the summary,
 * fields for the agent, value versus threshold and since when, the root cause of a cascade, and a context line
 * with links; a resolved message when the alert clears. A group or a digest lists up to {@code max_alerts} alerts
 * and counts the rest. {@code text} carries the same as plain text for notifications and clients without blocks.
 */
public final class SlackReceiver implements Receiver {
    static final int HEADER_MAX = 150;
    static final int TEXT_MAX = 3000;

    private final ReceiverSpec spec;
    private final HttpSender sender;
    private final AlertText text;
    private final URI uri;

    public SlackReceiver(ReceiverSpec spec, HttpSender sender, AlertText text) {
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
        ObjectNode body = n.digest().isPresent() ? digest(n) : message(n);
        return List.of(new Outgoing(n.alerts(), uri, Json.bytes(body)));
    }

    /** The message for one alert or a group. */
    public ObjectNode message(Notification n) {
        ObjectNode body = Json.object();
        ArrayNode blocks = body.putArray("blocks");
        List<Envelope> alerts = n.alerts();
        Alert first = alerts.get(0).alert();
        String header;
        if (alerts.size() == 1) {
            header = (AlertText.firing(first) ? "FIRING: " : "RESOLVED: ") + first.getAlertname() + " on " + AlertText.subject(first)
                    + " (" + AlertLabels.severity(first) + ")";
        } else {
            long firing = alerts.stream().filter(e -> AlertText.firing(e.alert())).count();
            header = alerts.size() + " alerts: " + firing + " firing, " + (alerts.size() - firing) + " resolved";
        }
        header(blocks, header);
        int shown = 0;
        for (Envelope e : alerts) {
            if (shown == spec.maxAlerts()) {
                section(blocks, "_and " + (alerts.size() - shown) + " more alerts on the agentwatch page_");
                break;
            }
            alertBlocks(blocks, e.alert(), alerts.size() > 1);
            shown++;
        }
        ArrayNode ctx = blocks.addObject().put("type", "context").putArray("elements");
        ctx.addObject().put("type", "mrkdwn").put("text", "<" + (alerts.size() == 1 ? text.link(first) : text.publicUrl() + "/") + "|Open in agentwatch>"
                + (alerts.size() == 1 ? " · fingerprint `" + first.getFingerprint() + "`" : ""));
        body.put("text", clip(header + (alerts.size() == 1 ? ": " + first.getSummary() : ""), TEXT_MAX));
        return body;
    }

    private void alertBlocks(ArrayNode blocks, Alert a, boolean inGroup) {
        String icon = AlertText.firing(a) ? ":red_circle:" : ":large_green_circle:";
        String lead = inGroup ? icon + " *" + a.getAlertname() + "* on `" + AlertText.subject(a) + "` (" + AlertLabels.severity(a) + ", "
                + (AlertText.firing(a) ? "firing" : "resolved") + ")\n" : icon + " ";
        section(blocks, lead + escape(a.getSummary()));
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        field(fields, "*Agent*\n" + AlertText.subject(a));
        String vt = AlertText.valueVsThreshold(a);
        if (!vt.isEmpty()) {
            field(fields, "*Value*\n" + vt);
        }
        long epoch = a.getStartsAt().getEpochSecond();
        field(fields, "*Since*\n<!date^" + epoch + "^{date_short_pretty} {time}|" + DateTimeFormatter.ISO_INSTANT.format(a.getStartsAt()) + ">");
        if (!AlertText.firing(a) && a.getEndsAt() != null) {
            field(fields, "*Resolved*\n<!date^" + a.getEndsAt().getEpochSecond() + "^{date_short_pretty} {time}|" + a.getEndsAt() + ">");
        }
        if (a.getRootCauseAgentId() != null) {
            field(fields, "*Root cause*\n" + a.getRootCauseAgentId());
        }
        String causedBy = a.getLabels().get(AlertLabels.CAUSED_BY);
        if (causedBy != null) {
            field(fields, "*Caused by*\n`" + causedBy + "`");
        }
    }

    /** The digest message: counts by severity and state, then the alerts of the period. */
    public ObjectNode digest(Notification n) {
        Notification.Period p = n.digest().orElseThrow();
        ObjectNode body = Json.object();
        ArrayNode blocks = body.putArray("blocks");
        String header = "agentwatch digest: " + n.alerts().size() + " alert" + (n.alerts().size() == 1 ? "" : "s")
                + " from " + p.start() + " to " + p.end();
        header(blocks, header);
        Map<Severity, int[]> counts = new EnumMap<>(Severity.class);
        for (Envelope e : n.alerts()) {
            int[] c = counts.computeIfAbsent(e.alert().getSeverity(), s -> new int[2]);
            c[AlertText.firing(e.alert()) ? 0 : 1]++;
        }
        StringBuilder summary = new StringBuilder();
        counts.forEach((sev, c) -> summary.append("*").append(sev.name().toLowerCase(java.util.Locale.ROOT)).append("*: ")
                .append(c[0]).append(" firing, ").append(c[1]).append(" resolved\n"));
        section(blocks, summary.toString().strip());
        StringBuilder lines = new StringBuilder();
        int shown = 0;
        for (Envelope e : n.alerts()) {
            Alert a = e.alert();
            if (shown == spec.maxAlerts()) {
                lines.append("_and ").append(n.alerts().size() - shown).append(" more_");
                break;
            }
            lines.append(AlertText.firing(a) ? ":red_circle: " : ":large_green_circle: ")
                    .append('*').append(a.getAlertname()).append("* `").append(AlertText.subject(a)).append("` ")
                    .append(escape(a.getSummary())).append('\n');
            shown++;
        }
        section(blocks, clip(lines.toString().strip(), TEXT_MAX));
        ArrayNode ctx = blocks.addObject().put("type", "context").putArray("elements");
        ctx.addObject().put("type", "mrkdwn").put("text", "<" + text.publicUrl() + "/|Open in agentwatch> · digest `" + n.tracked() + "`");
        body.put("text", clip(header, TEXT_MAX));
        return body;
    }

    private static void header(ArrayNode blocks, String text) {
        ObjectNode h = blocks.addObject().put("type", "header");
        h.putObject("text").put("type", "plain_text").put("text", clip(text, HEADER_MAX));
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", clip(mrkdwn, TEXT_MAX));
    }

    private static void field(ArrayNode fields, String mrkdwn) {
        fields.addObject().put("type", "mrkdwn").put("text", clip(mrkdwn, 2000));
    }

    /** Slack's three control characters. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public Attempt send(Outgoing outgoing) {
        return sender.postJson(outgoing);
    }
}
