package io.agentwatch.sink.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.SuggestedAction;
import io.agentwatch.service.OpsServer;
import io.agentwatch.service.Responses;
import io.agentwatch.sink.delivery.AlertText;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.state.ActiveAlerts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * The sink's web page: plain HTML, CSS and JavaScript from the jar, and two data endpoints the page reads,
 * {@code /api/alerts} (a snapshot, with optional {@code agent} and {@code alertname} filters) and
 * {@code /api/stream} (server-sent events: a snapshot on connect and on every change). The static files carry no
 * data and stay open; the data endpoints need the bearer token when one is configured (the page takes it from the
 * URL fragment {@code #token=...}, which browsers never send to the server).
 */
public final class AlertPage {
    static final int MAX_STREAMS = 8;
    static final long STREAM_MAX_MILLIS = 5 * 60_000L;
    static final long HEARTBEAT_MILLIS = 15_000L;

    private final ActiveAlerts alerts;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    public AlertPage(ActiveAlerts alerts) {
        this.alerts = alerts;
    }

    /** Adds the page's routes. */
    public OpsServer.Builder register(OpsServer.Builder server) {
        return server
                .threads(MAX_STREAMS + 6)
                .route("/", this::staticFile, false)
                .route("/api/alerts", this::snapshot, true)
                .route("/api/stream", this::stream, true);
    }

    private void staticFile(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String file;
        String type;
        switch (path) {
            case "/", "/index.html" -> {
                file = "index.html";
                type = "text/html; charset=utf-8";
            }
            case "/static/app.js" -> {
                file = "app.js";
                type = "text/javascript; charset=utf-8";
            }
            case "/static/app.css" -> {
                file = "app.css";
                type = "text/css; charset=utf-8";
            }
            default -> {
                Responses.error(exchange, 404, "no such path: " + path);
                return;
            }
        }
        try (InputStream in = AlertPage.class.getResourceAsStream(file)) {
            if (in == null) {
                Responses.error(exchange, 500, "missing resource " + file);
                return;
            }
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'");
            Responses.send(exchange, 200, type, in.readAllBytes());
        }
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        Map<String, String> q = Responses.query(exchange);
        Responses.send(exchange, 200, "application/json; charset=utf-8", Responses.JSON.writeValueAsBytes(body(filter(q))));
    }

    private void stream(HttpExchange exchange) throws IOException {
        if (!streams.tryAcquire()) {
            Responses.error(exchange, 503, "too many live streams; poll /api/alerts instead");
            return;
        }
        Predicate<Alert> filter = filter(Responses.query(exchange));
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            long start = System.currentTimeMillis();
            try (OutputStream out = exchange.getResponseBody()) {
                long version = alerts.version();
                write(out, "event: snapshot\ndata: " + Responses.JSON.writeValueAsString(body(filter)) + "\n\n");
                while (System.currentTimeMillis() - start < STREAM_MAX_MILLIS) {
                    long now = alerts.awaitChange(version, HEARTBEAT_MILLIS);
                    if (now == version) {
                        write(out, ": heartbeat\n\n");
                        continue;
                    }
                    version = now;
                    write(out, "event: snapshot\ndata: " + Responses.JSON.writeValueAsString(body(filter)) + "\n\n");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            streams.release();
            exchange.close();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static Predicate<Alert> filter(Map<String, String> q) {
        String agent = q.getOrDefault("agent", "").trim();
        String name = q.getOrDefault("alertname", "").trim();
        String fp = q.getOrDefault("fingerprint", "").trim();
        return a -> (agent.isEmpty() || agent.equals(agentOf(a)) || involves(a, agent))
                && (name.isEmpty() || name.equals(a.getAlertname()))
                && (fp.isEmpty() || fp.equals(a.getFingerprint()));
    }

    private static boolean involves(Alert a, String agent) {
        if (agent.equals(a.getRootCauseAgentId())) {
            return true;
        }
        String affected = a.getLabels().get(AlertLabels.AFFECTED_AGENTS);
        return affected != null && List.of(affected.split(",")).stream().map(String::trim).anyMatch(agent::equals);
    }

    private static String agentOf(Alert a) {
        return a.getScope() == null ? null : a.getScope().getAgentId();
    }

    ObjectNode body(Predicate<Alert> filter) {
        ObjectNode body = Responses.JSON.createObjectNode();
        ArrayNode firing = body.putArray("firing");
        for (Alert a : alerts.firing()) {
            if (filter.test(a)) {
                firing.add(view(a));
            }
        }
        ArrayNode resolved = body.putArray("resolved");
        for (Alert a : alerts.resolved()) {
            if (filter.test(a)) {
                resolved.add(view(a));
            }
        }
        body.put("version", alerts.version());
        return body;
    }

    private ObjectNode view(Alert a) {
        ObjectNode v = Responses.JSON.createObjectNode();
        v.put("fingerprint", a.getFingerprint());
        v.put("alertname", a.getAlertname());
        v.put("severity", AlertLabels.severity(a));
        v.put("status", a.getStatus().name().toLowerCase(java.util.Locale.ROOT));
        v.put("agent", agentOf(a));
        v.put("tenant", a.getScope() == null ? null : a.getScope().getTenant());
        v.put("workflow", a.getLabels().get("workflow"));
        v.put("value", AlertText.valueVsThreshold(a));
        v.put("startsAt", a.getStartsAt().toString());
        v.put("endsAt", a.getEndsAt() == null ? null : a.getEndsAt().toString());
        v.put("summary", a.getSummary());
        v.put("description", a.getDescription());
        v.put("rootCause", a.getRootCauseAgentId());
        v.put("affectedAgents", a.getLabels().get(AlertLabels.AFFECTED_AGENTS));
        String causedBy = a.getLabels().get(AlertLabels.CAUSED_BY);
        v.put("causedBy", causedBy);
        if (causedBy != null) {
            alerts.firing(causedBy).ifPresent(root -> v.put("causedByRootAgent", root.getRootCauseAgentId()));
        }
        v.put("inhibited", alerts.inhibited(a));
        v.put("action", a.getSuggestedAction() == SuggestedAction.NONE ? null : a.getSuggestedAction().name());
        return v;
    }
}
