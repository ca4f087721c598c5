package io.agentwatch.sink;

import io.agentwatch.schema.Contracts;
import io.agentwatch.service.Setting;
import java.util.List;

/** Every setting of the alert sink (file key, {@code AGENTWATCH_<KEY>} environment variable, default). */
public final class SinkSettings {
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_TOKEN = "http.token";
    public static final String PUBLIC_URL = "public.url";
    public static final String BOOTSTRAP = "bootstrap.servers";
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String GROUP = "consumer.group";
    public static final String ALERTS_TOPIC = "alerts.topic";
    public static final String DLQ_TOPIC = "alerts.dlq.topic";
    public static final String ROUTES_FILE = "routes.file";
    public static final String INHIBIT_HOLD = "inhibit.hold";
    public static final String COMMIT_INTERVAL = "commit.interval";
    public static final String MAX_IN_FLIGHT = "max.in.flight";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";
    public static final String VIEW_REBUILD = "view.rebuild.records";
    public static final String PAGE_RESOLVED = "page.resolved.max";

    public static final List<Setting> ALL = List.of(
            Setting.of(HTTP_HOST, "127.0.0.1", "address the page and the operations endpoints listen on"),
            Setting.of(HTTP_PORT, "8090", "port of the page and the operations endpoints (0 picks a free one)"),
            Setting.secret(HTTP_TOKEN, "bearer token required by the page's data endpoints (/api/*); none by default"),
            Setting.of(PUBLIC_URL, null, "base URL of the page as people reach it, for links in notifications; default http://<http.host>:<http.port>"),
            Setting.of(BOOTSTRAP, null, "Kafka bootstrap servers; else KAFKA_BOOTSTRAP_SERVERS (other KAFKA_* client properties pass through), else 127.0.0.1:9092"),
            Setting.of(REGISTRY_URL, "http://127.0.0.1:8081", "schema registry base URL (Confluent REST API)"),
            Setting.of(GROUP, "agentwatch-alert-sink", "consumer group of the delivery consumer"),
            Setting.of(ALERTS_TOPIC, Contracts.ALERTS_TOPIC, "topic the alerts are read from"),
            Setting.of(DLQ_TOPIC, Contracts.ALERTS_DLQ_TOPIC, "dead-letter topic for alerts a receiver refused after its retry budget"),
            Setting.of(ROUTES_FILE, null, "routes file (YAML); default: the built-in one, which logs every alert"),
            Setting.of(INHIBIT_HOLD, "10s", "how long an alert with a caused_by label waits to learn whether its cascade alert is firing"),
            Setting.of(COMMIT_INTERVAL, "200ms", "how often delivered offsets are committed (only when they moved); shorter means fewer redeliveries after a crash"),
            Setting.of(MAX_IN_FLIGHT, "1000", "alerts per partition read but not yet delivered before the partition is paused"),
            Setting.of(SHUTDOWN_TIMEOUT, "10s", "how long a stop waits for deliveries in progress before committing and closing"),
            Setting.of(VIEW_REBUILD, "100000", "records per partition the page's view reads back at start to rebuild the active alerts"),
            Setting.of(PAGE_RESOLVED, "100", "resolved alerts the page keeps"));

    private SinkSettings() {
    }
}
