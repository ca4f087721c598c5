package io.agentwatch.processor;

import io.agentwatch.schema.Contracts;
import io.agentwatch.service.Setting;
import java.util.List;

/** Every setting of the stream processor, with its default and meaning (the module README lists them). */
public final class ProcessorSettings {
    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP = "bootstrap.servers";
    public static final String REGISTRY = "schema.registry.url";
    public static final String EVENTS_TOPIC = "events.topic";
    public static final String ALERTS_TOPIC = "alerts.topic";
    public static final String EVENTS_DLQ_TOPIC = "events.dlq.topic";
    public static final String RULES_TOPIC = "rules.topic";
    public static final String CONTROL_TOPIC = "control.topic";
    public static final String RULES_FILE = "rules.file";
    public static final String STATE_DIR = "state.dir";
    public static final String GUARANTEE = "processing.guarantee";
    public static final String THREADS = "stream.threads";
    public static final String COMMIT_INTERVAL = "commit.interval";
    public static final String STANDBY_REPLICAS = "standby.replicas";
    public static final String REPLICATION_FACTOR = "replication.factor";
    public static final String EVALUATION_INTERVAL = "evaluation.interval";
    public static final String GRACE = "grace";
    public static final String WINDOWS = "windows";
    public static final String LIVE_SCOPES = "state.live-scopes";
    public static final String LIVE_SESSIONS = "state.live-sessions";
    public static final String LIVE_TRACES = "state.live-traces";
    public static final String CONTROL_ENABLED = "control.enabled";
    public static final String BASELINE_WARMUP = "baseline.warmup";
    public static final String BASELINE_HALF_LIFE = "baseline.half-life";
    public static final String MAX_FUTURE_SKEW = "events.max-future-skew";
    public static final String MAX_EVENT_BYTES = "events.max-bytes";
    public static final String REGISTRY_MAX_WAIT = "registry.max-wait";
    public static final String ROCKSDB_MEMORY = "rocksdb.memory";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_TOKEN = "http.token";
    public static final String APPLICATION_SERVER = "application.server";
    public static final String CLOSE_TIMEOUT = "close.timeout";

    private ProcessorSettings() {
    }

    public static List<Setting> all() {
        return List.of(
                Setting.of(APPLICATION_ID, "agentwatch-processor", "Kafka Streams application id: consumer group, prefix of internal topics"),
                Setting.of(BOOTSTRAP, null, "Kafka bootstrap servers (or KAFKA_BOOTSTRAP_SERVERS)"),
                Setting.of(REGISTRY, null, "Confluent-compatible schema registry URL (or KAFKA_SCHEMA_REGISTRY_URL)"),
                Setting.of(EVENTS_TOPIC, Contracts.EVENTS_TOPIC, "input topic of AgentEvents"),
                Setting.of(ALERTS_TOPIC, Contracts.ALERTS_TOPIC, "output topic of Alerts"),
                Setting.of(EVENTS_DLQ_TOPIC, Contracts.EVENTS_DLQ_TOPIC, "dead-letter topic for input records that are not valid events"),
                Setting.of(RULES_TOPIC, Contracts.RULES_TOPIC, "compacted topic of per-agent rule overrides"),
                Setting.of(CONTROL_TOPIC, Contracts.CONTROL_TOPIC, "topic of self-healing ControlCommands"),
                Setting.of(RULES_FILE, null, "rules file (YAML); the built-in default rules when unset"),
                Setting.of(STATE_DIR, System.getProperty("java.io.tmpdir") + "/agentwatch/processor-state", "directory of the RocksDB state"),
                Setting.of(GUARANTEE, "exactly_once_v2", "exactly_once_v2 or at_least_once"),
                Setting.of(THREADS, "2", "stream threads (one per core is a good start)"),
                Setting.of(COMMIT_INTERVAL, "2s", "commit interval (live state is written at each commit); a written alert also commits at once"),
                Setting.of(STANDBY_REPLICAS, "0", "standby replicas of each task's state, for fast fail-over"),
                Setting.of(REPLICATION_FACTOR, "-1", "replication factor of internal topics (-1: the broker default)"),
                Setting.of(EVALUATION_INTERVAL, "5s", "how often, in event time, window rules are evaluated"),
                Setting.of(GRACE, "30s", "how late (behind stream time) an event may arrive and still count in windows; at most 1m"),
                Setting.of(WINDOWS, "", "extra window lengths to maintain (comma list, e.g. 30m,60m) for overrides; the rules' own are always kept"),
                Setting.of(LIVE_SCOPES, "20000", "live agent scopes kept in memory per task before the least recently used go to RocksDB (also per-agent detector states)"),
                Setting.of(LIVE_SESSIONS, "20000", "live session states per task and session detector before the least recently used go to RocksDB"),
                Setting.of(LIVE_TRACES, "20000", "live trace lineages per task before the least recently used go to RocksDB (or are dropped, for traces without a failure)"),
                Setting.of(CONTROL_ENABLED, "false", "write a ControlCommand to the control topic for each new incident of a rule marked control: true"),
                Setting.of(BASELINE_WARMUP, "10", "one-minute panes a baseline learns from before rules may use it"),
                Setting.of(BASELINE_HALF_LIFE, "30m", "half-life of the baselines' moving averages"),
                Setting.of(MAX_FUTURE_SKEW, "5m", "an event time further ahead of the wall clock is absurd (dead-lettered); it must not move stream time"),
                Setting.of(MAX_EVENT_BYTES, "256KB", "an input record whose value is larger is dead-lettered undecoded (reason oversized-record)"),
                Setting.of(REGISTRY_MAX_WAIT, "2m", "how long decoding waits for an unreachable schema registry before restarting the task"),
                Setting.of(ROCKSDB_MEMORY, "256MB", "off-heap memory shared by all RocksDB stores (block cache and write buffers)"),
                Setting.of(HTTP_HOST, "127.0.0.1", "address of the HTTP server (metrics, health, queries); 0.0.0.0 in a container"),
                Setting.of(HTTP_PORT, "8080", "port of the HTTP server"),
                Setting.secret(HTTP_TOKEN, "bearer token required by the query endpoints (unset: open)"),
                Setting.of(APPLICATION_SERVER, "", "host:port other instances use to reach this one's HTTP server (interactive queries)"),
                Setting.of(CLOSE_TIMEOUT, "30s", "how long a clean shutdown may take"));
    }
}
