package io.agentwatch.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every agentwatch service runs for operations: {@code /metrics} (Prometheus text format),
 * {@code /health} (liveness) and {@code /ready} (readiness), plus the service's own routes. Built on the JDK's
 * HttpServer: no framework, a fixed pool of daemon threads. Routes marked protected require
 * {@code Authorization: Bearer <token>} when a token is configured (compared in constant time); the operations
 * endpoints stay open so that probes and scrapers need no secret.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** The port it listens on (useful when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects routes, then binds. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private final Map<String, Boolean> protectedRoutes = new LinkedHashMap<>();
        private Optional<String> bearerToken = Optional.empty();
        private int threads = 4;
        private String name = "ops-http";

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
        }

        /** Thread name prefix, for thread dumps. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Worker threads; long-lived streams (server-sent events) hold one each. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder bearerToken(Optional<String> token) {
            this.bearerToken = token.filter(t -> !t.isBlank());
            return this;
        }

        public Builder metrics(PrometheusMeterRegistry registry) {
            return route("/metrics", exchange -> Responses.text(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", registry.scrape()), false);
        }

        public Builder health(Supplier<Health> check) {
            return route("/health", healthHandler(check), false);
        }

        public Builder ready(Supplier<Health> check) {
            return route("/ready", healthHandler(check), false);
        }

        /** A route (exact path or a prefix ending in '/'); protected routes need the bearer token when one is set. */
        public Builder route(String path, HttpHandler handler, boolean protect) {
            if (routes.put(path, handler) != null) {
                throw new IllegalArgumentException("route registered twice: " + path);
            }
            protectedRoutes.put(path, protect);
            return this;
        }

        public OpsServer start() {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 64);
            } catch (BindException e) {
                throw new ConfigException("cannot listen on " + host + ":" + port + ": the port is in use or the address is not local (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new ConfigException("cannot start the HTTP server on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            AtomicInteger counter = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ExecutorService executor = Executors.newFixedThreadPool(threads, factory);
            server.setExecutor(executor);
            for (Map.Entry<String, HttpHandler> route : routes.entrySet()) {
                HttpHandler handler = guarded(route.getValue(), protectedRoutes.get(route.getKey()));
                server.createContext(route.getKey(), exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    if (!route.getKey().endsWith("/") && !path.equals(route.getKey())) {
                        Responses.error(exchange, 404, "no such path: " + path);
                        return;
                    }
                    try {
                        handler.handle(exchange);
                    } catch (Responses.BodyTooLargeException e) {
                        Responses.error(exchange, 413, e.getMessage());
                    } catch (IOException e) {
                        log.debug("HTTP {} {} failed: {}", exchange.getRequestMethod(), path, e.toString());
                        exchange.close();
                    } catch (RuntimeException e) {
                        log.warn("HTTP {} {} failed", exchange.getRequestMethod(), path, e);
                        try {
                            Responses.error(exchange, 500, "internal error: " + e.getClass().getSimpleName());
                        } catch (IOException ignored) {
                            exchange.close();
                        }
                    }
                });
            }
            server.start();
            log.info("HTTP server listening on http://{}:{} ({})", host, server.getAddress().getPort(), String.join(", ", routes.keySet()));
            return new OpsServer(server, executor);
        }

        private HttpHandler guarded(HttpHandler handler, boolean protect) {
            if (!protect || bearerToken.isEmpty()) {
                return handler;
            }
            byte[] expected = ("Bearer " + bearerToken.get()).getBytes(StandardCharsets.UTF_8);
            return exchange -> {
                String given = exchange.getRequestHeaders().getFirst("Authorization");
                if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    Responses.error(exchange, 401, "missing or wrong bearer token");
                    return;
                }
                handler.handle(exchange);
            };
        }

        private static HttpHandler healthHandler(Supplier<Health> check) {
            return (HttpExchange exchange) -> {
                Health health = check.get();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", health.status());
                body.putAll(health.details());
                Responses.json(exchange, health.up() ? 200 : 503, body);
            };
        }
    }
}
