package io.agentwatch.processor.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.service.OpsServer;
import io.agentwatch.service.Responses;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query endpoints of the processor's HTTP server (all behind {@code http.token} when one is set):
 * <ul>
 *   <li>{@code GET /api/agents/{id}}: routed to the instance whose task owns the agent (interactive queries:
 *       {@code queryMetadataForKey} on the agent's partition, then an HTTP call to that instance's
 *       {@code application.server});</li>
 *   <li>{@code GET /api/sessions/{id}[?agent_id=...]}: sessions live on their agent's partition, not their own, so
 *       without {@code agent_id} every instance is asked (scatter-gather) and the answers merged;</li>
 *   <li>{@code GET /api/fleet}: every instance's part, merged: cost per agent, error rate, p95, top tools by time
 *       and by failures;</li>
 *   <li>{@code GET /internal/agents/{id}}, {@code /internal/sessions/{id}}, {@code /internal/fleet}: this instance's
 *       own stores only (what the routing calls).</li>
 * </ul>
 * Answers are as of the last commit (stores are written at commit). Without {@code application.server} the
 * instance answers alone.
 */
public final class QueryRoutes {
    private static final int TOP = 10;

    private final KafkaStreams streams;
    private final StateQueries queries;
    private final HostInfo self;
    private final Optional<String> token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** @param applicationServer this instance's {@code host:port}, or empty when it runs alone */
    public QueryRoutes(KafkaStreams streams, StateQueries queries, String applicationServer, Optional<String> token) {
        this.streams = streams;
        this.queries = queries;
        this.self = applicationServer == null || applicationServer.isBlank() ? null : HostInfo.buildFromEndpoint(applicationServer);
        this.token = token;
    }

    public OpsServer.Builder register(OpsServer.Builder http) {
        return http
                .route("/api/agents/", exchange -> get(exchange, () -> agent(idOf(exchange, "/api/agents/"))), true)
                .route("/api/sessions/", exchange -> get(exchange, () -> session(idOf(exchange, "/api/sessions/"),
                        Responses.query(exchange).get("agent_id"))), true)
                .route("/api/fleet", exchange -> get(exchange, this::fleet), true)
                .route("/internal/agents/", exchange -> get(exchange, () -> localAgent(idOf(exchange, "/internal/agents/"))), true)
                .route("/internal/sessions/", exchange -> get(exchange, () -> localSession(idOf(exchange, "/internal/sessions/"))), true)
                .route("/internal/fleet", exchange -> get(exchange, () -> Answer.ok(queries.fleet())), true);
    }

    /** A status and a JSON body. */
    record Answer(int status, Object body) {
        static Answer ok(Object body) {
            return new Answer(200, body);
        }

        static Answer error(int status, String message) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", status);
            m.put("error", message);
            return new Answer(status, m);
        }
    }

    private interface Handler {
        Answer answer() throws IOException, InterruptedException;
    }

    private void get(HttpExchange exchange, Handler handler) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            Responses.error(exchange, 405, "only GET");
            return;
        }
        Answer answer;
        try {
            answer = handler.answer();
        } catch (InvalidStateStoreException e) {
            answer = Answer.error(503, "state not queryable right now (starting or rebalancing): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = Answer.error(503, "interrupted");
        } catch (IllegalArgumentException e) {
            answer = Answer.error(400, e.getMessage());
        }
        Responses.json(exchange, answer.status(), answer.body());
    }

    private static String idOf(HttpExchange exchange, String prefix) {
        String raw = exchange.getRequestURI().getRawPath().substring(prefix.length());
        if (raw.isEmpty() || raw.contains("/")) {
            throw new IllegalArgumentException("expected " + prefix + "{id}");
        }
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private Answer agent(String agentId) throws IOException, InterruptedException {
        if (self == null) {
            return localAgent(agentId);
        }
        KeyQueryMetadata meta = streams.queryMetadataForKey(StoreNames.AGENT_SCOPES, agentId, Serdes.String().serializer());
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE || meta.activeHost() == null) {
            return Answer.error(503, "no instance owns agent " + agentId + " right now (starting or rebalancing)");
        }
        if (meta.activeHost().equals(self)) {
            return localAgent(agentId);
        }
        return call(meta.activeHost(), "/internal/agents/" + encode(agentId));
    }

    private Answer localAgent(String agentId) {
        return queries.agent(agentId)
                .map(body -> {
                    Map<String, Object> m = new LinkedHashMap<>(body);
                    m.put("instance", instance());
                    m.put("as_of", "the last commit of the task that owns the agent");
                    return Answer.ok(m);
                })
                .orElseGet(() -> Answer.error(404, "no state for agent " + agentId));
    }

    private Answer session(String sessionId, String agentId) throws IOException, InterruptedException {
        List<Map<String, Object>> states = new ArrayList<>();
        if (agentId != null && self != null) {
            KeyQueryMetadata meta = streams.queryMetadataForKey(StoreNames.AGENT_SCOPES, agentId, Serdes.String().serializer());
            HostInfo owner = meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE ? null : meta.activeHost();
            if (owner == null) {
                return Answer.error(503, "no instance owns agent " + agentId + " right now (starting or rebalancing)");
            }
            states.addAll(sessionStates(owner, sessionId));
        } else {
            for (HostInfo host : instances()) {
                states.addAll(sessionStates(host, sessionId));
            }
        }
        if (agentId != null) {
            states.removeIf(s -> !agentId.equals(s.get("agent_id")));
        }
        if (states.isEmpty()) {
            return Answer.error(404, "no state for session " + sessionId);
        }
        List<Object> alerts = new ArrayList<>();
        for (Map<String, Object> s : states) {
            for (String section : List.of("budget", "loop")) {
                if (s.get(section) instanceof Map<?, ?> m && m.get("active_alerts") instanceof List<?> l) {
                    alerts.addAll(l);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", sessionId);
        out.put("states", states);
        out.put("active_alerts", alerts);
        out.put("as_of", "the last commit of the tasks that own the session's agents");
        return Answer.ok(out);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> sessionStates(HostInfo host, String sessionId) throws IOException, InterruptedException {
        Answer a = self == null || host.equals(self) ? localSession(sessionId) : call(host, "/internal/sessions/" + encode(sessionId));
        if (a.status() != 200) {
            throw new IllegalStateException("instance " + host + " answered " + a.status() + ": " + a.body());
        }
        return (List<Map<String, Object>>) ((Map<String, Object>) a.body()).get("states");
    }

    private Answer localSession(String sessionId) {
        List<Map<String, Object>> states = queries.session(sessionId);
        for (Map<String, Object> s : states) {
            s.put("instance", instance());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("states", states);
        return Answer.ok(out);
    }

    @SuppressWarnings("unchecked")
    private Answer fleet() throws IOException, InterruptedException {
        List<Map<String, Object>> parts = new ArrayList<>();
        Set<HostInfo> hosts = self == null ? Set.of() : instances();
        if (self == null) {
            parts.add(queries.fleet());
        }
        for (HostInfo host : hosts) {
            Answer a = host.equals(self) ? Answer.ok(queries.fleet()) : call(host, "/internal/fleet");
            if (a.status() != 200) {
                return Answer.error(502, "instance " + host + " answered " + a.status() + ": " + a.body());
            }
            parts.add((Map<String, Object>) a.body());
        }
        Map<String, Object> out = new LinkedHashMap<>(StateQueries.mergeFleet(parts, TOP));
        out.put("instances", Math.max(1, hosts.size()));
        out.put("as_of", "the last commit of each task");
        return Answer.ok(out);
    }

    /** Every instance of the application that has a {@code application.server}, this one included. */
    private Set<HostInfo> instances() {
        Set<HostInfo> hosts = new LinkedHashSet<>();
        if (self == null) {
            return hosts;
        }
        hosts.add(self);
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            HostInfo h = m.hostInfo();
            if (h != null && h.port() > 0) {
                hosts.add(h);
            }
        }
        return hosts;
    }

    private Answer call(HostInfo host, String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return Answer.error(502, "instance " + host + " did not answer: " + e.getMessage());
        }
        Object body = Responses.JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
        return new Answer(response.statusCode(), body);
    }

    private String instance() {
        return self == null ? "local" : self.host() + ":" + self.port();
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
