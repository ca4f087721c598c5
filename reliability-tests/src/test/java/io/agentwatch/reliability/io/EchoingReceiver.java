package io.agentwatch.reliability.io;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver that makes leaking easy: its first answer is a 503 whose body echoes the request line and body back
 * (so a sink that logs the error text would log the URL's token or the routing key), later ones accept. Records the
 * bodies it accepted.
 */
final class EchoingReceiver implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    final List<String> accepted = new CopyOnWriteArrayList<>();

    EchoingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 20);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (requests.incrementAndGet() == 1) {
                    byte[] echo = ("unavailable; you sent " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body)
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(503, echo.length);
                    exchange.getResponseBody().write(echo);
                    return;
                }
                accepted.add(exchange.getRequestURI() + " " + body);
                byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(202, ok.length);
                exchange.getResponseBody().write(ok);
            }
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
