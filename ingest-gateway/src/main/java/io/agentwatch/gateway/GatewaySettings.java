package io.agentwatch.gateway;

import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.service.Setting;
import java.util.List;

/**
 * Every setting the gateway declares, with its default. The module README lists them; {@code AGENTWATCH_<KEY>}
 * sets one from the environment, {@code KAFKA_*} / {@code kafka.*} pass through to the producer.
 */
public final class GatewaySettings {
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_THREADS = "http.threads";
    public static final String MAX_REQUEST_BYTES = "http.max.request.bytes";
    public static final String EVENTS_TOPIC = "events.topic";
    public static final String BOOTSTRAP = "bootstrap.servers";
    public static final String REGISTRY_URL = RegistryConfig.URL;
    public static final String REGISTRY_BASIC_AUTH = RegistryConfig.BASIC_AUTH_USER_INFO;
    public static final String REGISTRY_BEARER_TOKEN = RegistryConfig.BEARER_AUTH_TOKEN;
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String AUTH_TOKEN = "auth.token";
    public static final String AUTH_TOKENS_FILE = "auth.tokens.file";
    public static final String PRICE_TABLE_FILE = "price.table.file";
    public static final String ATTRIBUTES_ALLOW = "attributes.allow";
    public static final String MAX_FUTURE_SKEW = "event.max.future.skew";
    public static final String MAX_INFLIGHT_BYTES = "backpressure.max.inflight.bytes";
    public static final String STALL_TIMEOUT = "backpressure.stall.timeout";
    public static final String RETRY_AFTER = "backpressure.retry.after";
    public static final String PUBLISH_TIMEOUT = "publish.timeout";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";

    public static final String DEFAULT_ALLOWED_ATTRIBUTES =
            "deployment.environment.name,deployment.environment,agentwatch.team,agentwatch.risk_class,agentwatch.model_lane";

    public static final List<Setting> ALL = List.of(
            Setting.of(HTTP_HOST, "127.0.0.1", "address the HTTP server binds (0.0.0.0 for every interface)"),
            Setting.of(HTTP_PORT, "4318", "HTTP port (4318 is the OTLP/HTTP standard port)"),
            Setting.of(HTTP_THREADS, "32", "request threads; each holds a request until Kafka acknowledges its events"),
            Setting.of(MAX_REQUEST_BYTES, "8MB", "largest request body accepted, after gzip decoding (413 above)"),
            Setting.of(BOOTSTRAP, null, "Kafka bootstrap servers (or KAFKA_BOOTSTRAP_SERVERS / kafka.bootstrap.servers)"),
            Setting.of(EVENTS_TOPIC, Contracts.EVENTS_TOPIC, "topic the AgentEvents are published to"),
            Setting.required(REGISTRY_URL, "schema registry base URL(s) (Confluent REST API), comma-separated"),
            Setting.secret(REGISTRY_BASIC_AUTH, "user:password for the schema registry"),
            Setting.secret(REGISTRY_BEARER_TOKEN, "bearer token for the schema registry"),
            Setting.of(AUTO_REGISTER, "true", "register the AgentEvent schema under <topic>-value at start (false: it must exist)"),
            Setting.secret(AUTH_TOKEN, "a bearer token that may write events of any tenant (none: no auth unless a token file is set)"),
            Setting.of(AUTH_TOKENS_FILE, null, "file of per-tenant tokens, one '<token> <tenant>' per line; the tenant is stamped on the events"),
            Setting.of(PRICE_TABLE_FILE, null, "JSON price table {\"model\": {\"input_per_1k\": x, \"output_per_1k\": y}} for events without agentwatch.cost_usd"),
            Setting.of(ATTRIBUTES_ALLOW, DEFAULT_ALLOWED_ATTRIBUTES,
                    "span/resource attributes copied into AgentEvent.attributes (comma-separated; 'prefix.*' allows a prefix)"),
            Setting.of(MAX_FUTURE_SKEW, "5m", "how far ahead of the gateway's clock an event time may be"),
            Setting.of(MAX_INFLIGHT_BYTES, "64MB", "request bytes being processed at once; beyond it requests get 429"),
            Setting.of(STALL_TIMEOUT, "5s", "when Kafka has not acknowledged an event for this long, new requests get 503"),
            Setting.of(RETRY_AFTER, "5s", "Retry-After of 503 answers; also how long a Kafka delivery failure keeps answering 503"),
            Setting.of(PUBLISH_TIMEOUT, "8s", "how long a request waits for Kafka's acknowledgement before answering 503"),
            Setting.of(SHUTDOWN_TIMEOUT, "30s", "how long shutdown waits for in-flight requests and the producer to drain"));

    private GatewaySettings() {
    }
}
