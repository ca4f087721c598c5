package io.agentwatch.sink.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSenderTest {
    private static final String SECRET_PATH = "/services/T000/B000/S3CR3TT0K3N";
    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(202);
    private volatile String retryAfter;
    private volatile String answer = "";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            if (retryAfter != null) {
                ex.getResponseHeaders().set("Retry-After", retryAfter);
            }
            byte[] body = answer.getBytes();
            ex.sendResponseHeaders(status.get(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH);
    }

    private HttpSender sender() {
        return new HttpSender(Duration.ofSeconds(2), new Redactor(Set.of(url().toString())), () -> Instant.parse("2026-11-22T10:00:00Z"));
    }

    private Attempt post() {
        return sender().postJson(new Outgoing(List.of(), url(), "{}".getBytes()));
    }

    @Test
    void shouldAcceptA2xxAnswer() {
        assertThat(post().ok()).isTrue();
    }

    @Test
    void shouldRetryA503AndReadRetryAfterInSeconds() {
        status.set(503);
        retryAfter = "7";

        Attempt a = post();

        assertThat(a.ok()).isFalse();
        assertThat(a.retryable()).isTrue();
        assertThat(a.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(a.reason()).isEqualTo("http_503");
    }

    @Test
    void shouldReadRetryAfterAsAnHttpDate() {
        status.set(429);
        retryAfter = "Sun, 22 Nov 2026 10:00:30 GMT";

        assertThat(post().retryAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void shouldNotRetryABadRequest() {
        status.set(400);
        answer = "{\"status\":\"invalid event\",\"errors\":[\"'routing_key' is invalid\"]}";

        Attempt a = post();

        assertThat(a.retryable()).isFalse();
        assertThat(a.error()).contains("HTTP 400").contains("invalid event");
    }

    @Test
    void shouldNeverShowTheSecretPartOfTheUrlInAnError() {
        status.set(500);
        answer = "upstream failed for " + SECRET_PATH;

        Attempt a = post();

        assertThat(a.error()).doesNotContain("S3CR3TT0K3N").contains("http://127.0.0.1:" + server.getAddress().getPort() + "/***");
    }

    @Test
    void shouldRetryWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + SECRET_PATH);
        Attempt a = new HttpSender(Duration.ofSeconds(2), new Redactor(Set.of(closed.toString())), Instant::now)
                .postJson(new Outgoing(List.of(), closed, "{}".getBytes()));

        assertThat(a.retryable()).isTrue();
        assertThat(a.reason()).isEqualTo("connect");
        assertThat(a.error()).doesNotContain("S3CR3TT0K3N");
    }
}
