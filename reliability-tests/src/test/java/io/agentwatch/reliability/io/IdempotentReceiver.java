package io.agentwatch.reliability.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver of Alertmanager webhook (v4) notifications, idempotent the way PagerDuty or Alertmanager
 * are: an alert is identified by fingerprint, status and start time; a delivery of one already applied is counted
 * and absorbed. It keeps what the scenario checks: deliveries per alert, incidents opened per fingerprint (a FIRING
 * that arrives again after its RESOLVED would open the incident a second time: a real duplicate), the last status
 * per fingerprint, and how the sink behaved towards its faults. Faults: {@link #goDown()} / {@link #comeBack()}
 * (the port refuses connections), answering 429 with {@code Retry-After}, and hanging without an answer (the
 * alert is applied first, as a slow receiver would, so the sink's retry after its timeout is a redelivery).
 */
final class IdempotentReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with the next request: accept, throttle (429) or hang. */
    enum Answer { ACCEPT, THROTTLE, HANG }

    interface Behaviour {
        Answer next(int request);
    }

    private final String name;
    private final int port;
    private final Behaviour behaviour;
    private final long hangMillis;
    private HttpServer server;
    private ExecutorService pool;

    private final Map<String, Integer> deliveries = new HashMap<>();
    private final Map<String, Integer> opened = new HashMap<>();
    private final Map<String, String> lastStatus = new HashMap<>();
    private final Map<String, String> open = new HashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger hung = new AtomicInteger();
    private long lastThrottleNanos;
    private long minGapAfterThrottleNanos = Long.MAX_VALUE;
    private volatile long lastAcceptedNanos;

    IdempotentReceiver(String name, Behaviour behaviour, long hangMillis) {
        this.name = name;
        this.behaviour = behaviour;
        this.hangMillis = hangMillis;
        this.port = io.agentwatch.embedded.Ports.freePort();
        comeBack();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook/" + name;
    }

    /** Stops listening: connections to the port are refused until {@link #comeBack()}. */
    synchronized void goDown() {
        server.stop(0);
        pool.shutdownNow();
        server = null;
    }

    /** Listens again on the same port. */
    synchronized void comeBack() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("receiver " + name + " cannot listen on " + port, e);
        }
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int n = requests.incrementAndGet();
                Answer answer = behaviour.next(n);
                long now = System.nanoTime();
                synchronized (this) {
                    if (lastThrottleNanos != 0) {
                        minGapAfterThrottleNanos = Math.min(minGapAfterThrottleNanos, now - lastThrottleNanos);
                        lastThrottleNanos = 0;
                    }
                }
                if (answer == Answer.THROTTLE) {
                    throttled.incrementAndGet();
                    synchronized (this) {
                        lastThrottleNanos = now;
                    }
                    exchange.getResponseHeaders().set("Retry-After", "1");
                    exchange.sendResponseHeaders(429, -1);
                    return;
                }
                apply(JSON.readTree(body));
                if (answer == Answer.HANG) {
                    hung.incrementAndGet();
                    try {
                        Thread.sleep(hangMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                lastAcceptedNanos = System.nanoTime();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    private synchronized void apply(JsonNode notification) {
        for (JsonNode alert : notification.path("alerts")) {
            String fingerprint = alert.path("fingerprint").asText();
            String status = alert.path("status").asText();
            String startsAt = alert.path("startsAt").asText();
            deliveries.merge(key(fingerprint, status, startsAt), 1, Integer::sum);
            String incident = fingerprint + "|" + startsAt;
            if (status.equals("firing")) {
                if (!"open".equals(open.get(incident))) {
                    open.put(incident, "open");
                    opened.merge(incident, 1, Integer::sum);
                }
            } else {
                open.put(incident, "resolved");
            }
            lastStatus.put(fingerprint, status);
        }
    }

    static String key(String fingerprint, String status, String startsAt) {
        return fingerprint + "|" + status + "|" + startsAt;
    }

    synchronized Map<String, Integer> deliveries() {
        return new HashMap<>(deliveries);
    }

    /** Incidents (fingerprint and start) opened more than once. */
    synchronized List<String> reopened() {
        return opened.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    synchronized Map<String, String> lastStatus() {
        return new HashMap<>(lastStatus);
    }

    /** Deliveries beyond the first of each alert: the redeliveries the receiver absorbed. */
    synchronized int redeliveries() {
        return deliveries.values().stream().mapToInt(v -> v - 1).sum();
    }

    /** The shortest time between a 429 and the next request, in ms (Long.MAX_VALUE if none). */
    synchronized long minMillisAfterThrottle() {
        return minGapAfterThrottleNanos == Long.MAX_VALUE ? Long.MAX_VALUE : minGapAfterThrottleNanos / 1_000_000;
    }

    String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            goDown();
        }
    }
}
