package io.agentwatch.sink.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A local HTTP endpoint standing in for PagerDuty, Slack or a webhook: records every JSON body it accepts, answers
 * with a scripted status while told to fail, and, for PagerDuty, keeps incidents by {@code dedup_key} as PagerDuty
 * does (a trigger for an open incident adds nothing; a resolve closes it).
 */
final class TestReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String path;
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger inProgress = new AtomicInteger();
    /** Incidents by dedup_key: "open" or "resolved", and how many were ever opened. */
    final Map<String, String> incidents = new LinkedHashMap<>();
    final Map<String, Integer> opened = new LinkedHashMap<>();
    /** The status to answer with; 0 means accept. */
    volatile IntSupplier failWith = () -> 0;
    volatile long delayMillis;
    private final int okStatus;

    TestReceiver(String path, int okStatus) throws IOException {
        this.path = path;
        this.okStatus = okStatus;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            inProgress.incrementAndGet();
            try {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                int fail = failWith.getAsInt();
                if (!ex.getRequestURI().getPath().equals(this.path)) {
                    fail = 404;
                }
                if (fail != 0) {
                    refused.incrementAndGet();
                    ex.getResponseHeaders().set("Retry-After", "1");
                    ex.sendResponseHeaders(fail, -1);
                    return;
                }
                JsonNode json = JSON.readTree(body);
                String answer = "ok";
                synchronized (this) {
                    accepted.add(json);
                    if (json.has("dedup_key")) {
                        String key = json.get("dedup_key").asText();
                        String action = json.get("event_action").asText();
                        if (action.equals("trigger") && !"open".equals(incidents.get(key))) {
                            incidents.put(key, "open");
                            opened.merge(key, 1, Integer::sum);
                        } else if (action.equals("resolve")) {
                            incidents.computeIfPresent(key, (k, v) -> "resolved");
                        }
                        answer = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + key + "\"}";
                    }
                }
                byte[] out = answer.getBytes();
                ex.sendResponseHeaders(okStatus, out.length);
                ex.getResponseBody().write(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inProgress.decrementAndGet();
                ex.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    synchronized List<JsonNode> accepted() {
        return new ArrayList<>(accepted);
    }

    /** The event actions PagerDuty got for one dedup key, in order. */
    synchronized List<String> actions(String dedupKey) {
        return accepted.stream().filter(j -> j.path("dedup_key").asText().equals(dedupKey)).map(j -> j.get("event_action").asText()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
