package io.agentwatch.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentwatch.gateway.GatewayConfig;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.publish.Backpressure;
import io.agentwatch.service.Responses;
import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * What both ingest endpoints do before and after their own work: POST only, the bearer token, the content
 * encoding, the back-pressure checks (before reading the body when possible), the bounded body, and the request
 * metrics. Subclasses decode, map, publish and answer in their own format.
 */
abstract class IngestHandler implements HttpHandler {
    protected final GatewayConfig config;
    protected final Backpressure backpressure;
    protected final GatewayMetrics metrics;
    private final String endpoint;

    IngestHandler(String endpoint, GatewayConfig config, Backpressure backpressure, GatewayMetrics metrics) {
        this.endpoint = endpoint;
        this.config = config;
        this.backpressure = backpressure;
        this.metrics = metrics;
    }

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        int status = 500;
        backpressure.requestStarted();
        try {
            status = process(exchange);
        } finally {
            backpressure.requestFinished();
            metrics.request(endpoint, status, System.nanoTime() - started);
        }
    }

    private int process(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean jsonAnswer = answersInJson(contentType);
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            return error(exchange, jsonAnswer, 405, "use POST", 0);
        }
        Optional<Caller> caller = config.auth().authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (caller.isEmpty()) {
            metrics.authFailures.increment();
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return error(exchange, jsonAnswer, 401, "missing or unknown bearer token", 0);
        }
        String unsupported = unsupportedContentType(contentType);
        if (unsupported != null) {
            return error(exchange, jsonAnswer, 415, unsupported, 0);
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("gzip") && !encoding.equalsIgnoreCase("identity")) {
            return error(exchange, jsonAnswer, 415, "unsupported Content-Encoding '" + encoding + "': send gzip or none", 0);
        }
        Backpressure.Decision state = backpressure.checkState();
        if (state != Backpressure.Decision.ACCEPT) {
            return refuse(exchange, jsonAnswer, state);
        }
        byte[] body;
        try {
            body = Responses.body(exchange, config.maxRequestBytes());
        } catch (Responses.BodyTooLargeException e) {
            return error(exchange, jsonAnswer, 413, "body: " + e.getMessage() + " (http.max.request.bytes)", 0);
        } catch (ZipException | EOFException e) {
            return error(exchange, jsonAnswer, 400, "body: not valid gzip (" + e.getMessage() + ")", 0);
        }
        metrics.body(endpoint).record(body.length);
        Backpressure.Decision room = backpressure.reserve(body.length);
        if (room != Backpressure.Decision.ACCEPT) {
            return refuse(exchange, jsonAnswer, room);
        }
        try {
            return ingest(exchange, contentType, caller.get(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(exchange, jsonAnswer, 503, "the gateway is shutting down", config.retryAfterSeconds());
        } finally {
            backpressure.release(body.length);
        }
    }

    private int refuse(HttpExchange exchange, boolean jsonAnswer, Backpressure.Decision decision) throws IOException {
        metrics.backpressure(decision).increment();
        String message = switch (decision) {
            case DRAINING -> "the gateway is shutting down; retry";
            case KAFKA_STALLED -> "Kafka has not acknowledged events for more than " + config.stallTimeout().toMillis() + " ms; retry later";
            case KAFKA_FAILING -> "Kafka or the schema registry is unavailable (" + backpressure.lastFailure() + "); retry later";
            case INFLIGHT_FULL -> "too many request bytes in flight; retry shortly";
            default -> decision.name();
        };
        long retryAfter = decision == Backpressure.Decision.INFLIGHT_FULL ? 1 : config.retryAfterSeconds();
        return error(exchange, jsonAnswer, decision.httpStatus(), message, retryAfter);
    }

    /** Answers an error in the endpoint's format, with Retry-After when {@code retryAfterSeconds > 0}; returns the status. */
    protected final int error(HttpExchange exchange, boolean json, int status, String message, long retryAfterSeconds) throws IOException {
        if (retryAfterSeconds > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds));
        }
        sendError(exchange, json, status, message);
        return status;
    }

    protected static boolean isJson(String contentType) {
        return contentType != null && baseType(contentType).equals("application/json");
    }

    protected static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** Whether error answers go out as JSON (the request's type decides). */
    protected abstract boolean answersInJson(String contentType);

    /** Null when the endpoint reads this Content-Type, else the message for the 415 answer. */
    protected abstract String unsupportedContentType(String contentType);

    protected abstract void sendError(HttpExchange exchange, boolean json, int status, String message) throws IOException;

    /** Decodes, validates, publishes and answers; returns the HTTP status sent. */
    protected abstract int ingest(HttpExchange exchange, String contentType, Caller caller, byte[] body) throws IOException, InterruptedException;
}
