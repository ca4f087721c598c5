package io.agentwatch.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentwatch.schema.AgentEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's HTTP behaviour (retries, typed refusals, auth headers, caching) against a stub server scripted by
 * each test. Unit test: the stub is not a registry; the same calls against real Apicurio are in test-support's ITs.
 */
class HttpSchemaRegistryClientTest {
    private HttpServer stub;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile Script script;

    interface Script {
        void answer(HttpExchange exchange, int call) throws IOException;
    }

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        stub.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            exchange.getRequestBody().readAllBytes();
            script.answer(exchange, calls.incrementAndGet());
        });
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    private RegistryConfig config(Map<String, Object> extra) {
        Map<String, Object> props = new java.util.HashMap<>(extra);
        props.put(RegistryConfig.URL, "http://127.0.0.1:" + stub.getAddress().getPort());
        props.put(RegistryConfig.RETRY_BACKOFF_MS, "1");
        return RegistryConfig.fromProperties(props);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void shouldRetryA503AndThenSucceed() {
        script = (ex, call) -> reply(ex, call < 3 ? 503 : 200, call < 3 ? "{\"error_code\":50301,\"message\":\"busy\"}" : "{\"id\":7}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(config(Map.of()));

        assertThat(client.register("agent.events-value", AgentEvent.getClassSchema())).isEqualTo(7);
        assertThat(requests).hasSize(3).allMatch(r -> r.equals("POST /subjects/agent.events-value/versions"));
    }

    @Test
    void shouldCacheAnIdOnceRegistered() {
        script = (ex, call) -> reply(ex, 200, "{\"id\":7}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(config(Map.of()));

        client.register("s-value", AgentEvent.getClassSchema());
        client.register("s-value", AgentEvent.getClassSchema());
        assertThat(client.schemaById(7)).isEqualTo(AgentEvent.getClassSchema());

        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldGiveUpAfterTheRetryBudgetWithRegistryUnavailable() {
        script = (ex, call) -> reply(ex, 500, "oops");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(config(Map.of(RegistryConfig.RETRIES, "2")));

        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("after 3 attempts");
        assertThat(requests).hasSize(3);
    }

    @Test
    void shouldNotRetryARefusalAndTypeIt() {
        script = (ex, call) -> reply(ex, 409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(config(Map.of()));

        assertThatThrownBy(() -> client.register("s-value", AgentEvent.getClassSchema()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("incompatible");
        assertThat(requests).hasSize(1);

        script = (ex, call) -> reply(ex, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        assertThatThrownBy(() -> client.schemaById(99))
                .isInstanceOf(SchemaNotFoundException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40403);

        script = (ex, call) -> reply(ex, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        assertThatThrownBy(() -> client.subjects()).isInstanceOf(RegistryRequestException.class);
    }

    @Test
    void shouldSendBasicOrBearerCredentialsButNeverShowThem() {
        script = (ex, call) -> reply(ex, 200, "[\"a-value\"]");
        RegistryConfig basic = config(Map.of(RegistryConfig.BASIC_AUTH_USER_INFO, "svc:pa55word"));
        new HttpSchemaRegistryClient(basic).subjects();
        RegistryConfig bearer = config(Map.of(RegistryConfig.BEARER_AUTH_TOKEN, "tok3n"));
        new HttpSchemaRegistryClient(bearer).subjects();

        assertThat(authorizations).containsExactly("Basic c3ZjOnBhNTV3b3Jk", "Bearer tok3n");
        assertThat(basic.toString()).doesNotContain("pa55word").contains("svc");
        assertThat(bearer.toString()).doesNotContain("tok3n");
    }

    @Test
    void shouldReportAnUnreachableRegistryAsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(Map.of(
                RegistryConfig.URL, "http://127.0.0.1:" + closedPort, RegistryConfig.RETRIES, "1", RegistryConfig.RETRY_BACKOFF_MS, "1")));

        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void shouldFailOverToTheNextUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        script = (ex, call) -> reply(ex, 200, "[\"x-value\"]");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(Map.of(
                RegistryConfig.URL, "http://127.0.0.1:" + closedPort + ",http://127.0.0.1:" + stub.getAddress().getPort(),
                RegistryConfig.RETRY_BACKOFF_MS, "1")));

        assertThat(client.subjects()).containsExactly("x-value");
    }

    @Test
    void shouldRejectMalformedSettingsNamingThem() {
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of())).hasMessageContaining(RegistryConfig.URL);
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of(RegistryConfig.URL, "localhost:8081"))).hasMessageContaining(RegistryConfig.URL);
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of(RegistryConfig.URL, "http://x", RegistryConfig.BASIC_AUTH_USER_INFO, "nocolon")))
                .hasMessageContaining(RegistryConfig.BASIC_AUTH_USER_INFO).hasMessageNotContaining("nocolon");
    }
}
