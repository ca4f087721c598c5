package io.agentwatch.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller combined) running the Kafka server classes in
 * this JVM. Its data lives under {@code <dataDir>/kafka}, formatted on the first start only, so topics, records and
 * committed offsets survive a restart. The client listener is on 127.0.0.1; the controller listener takes a free
 * port on each start, which is safe because the one-voter quorum is static ({@code controller.quorum.voters}) and
 * not written into the log. A lock file keeps a second broker off the same data directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String SERVICE = "Kafka broker";
    private static final Pattern BOUND_PORT = Pattern.compile(Pattern.quote(Ports.HOST) + ":(\\d{1,5})");

    private final KafkaRaftServer server;
    private final DirectoryLock lock;
    private final int port;
    private final String clusterId;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, DirectoryLock lock, int port, String clusterId, Path dataDir) {
        this.server = server;
        this.lock = lock;
        this.port = port;
        this.clusterId = clusterId;
        this.dataDir = dataDir;
    }

    /**
     * Formats the data directory if needed, starts the broker and waits until it answers clients.
     *
     * @throws PortInUseException if the client port is taken
     * @throws IllegalStateException if another broker uses the data directory, or the broker fails to start
     */
    public static EmbeddedKafkaBroker start(BrokerSettings settings) {
        int port = Ports.requireFree(settings.port(), SERVICE);
        Path dataDir = settings.dataDir().toAbsolutePath();
        DirectoryLock lock = DirectoryLock.acquire(dataDir, "kafka.lock", SERVICE);
        try {
            return start(settings, port, dataDir, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedKafkaBroker start(BrokerSettings settings, int port, Path dataDir, DirectoryLock lock) {
        int controllerPort = Ports.freePort();
        Path logDir = dataDir.resolve("kafka");
        Properties props = serverProperties(port, controllerPort, logDir, settings.overrides());
        Path propertiesFile = writeProperties(dataDir, props);
        String clusterId = new KafkaStorage(logDir).formatIfNeeded(propertiesFile);

        long started = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw translate(e, port);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, lock, port, clusterId, dataDir);
        try {
            broker.awaitReady(settings.startTimeout());
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw e;
        }
        log.info("Kafka broker ready on {} (cluster {}, data {}) in {} ms", broker.bootstrapServers(), clusterId, logDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return broker;
    }

    static Properties serverProperties(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + Ports.HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        props.putAll(SingleNodeKafkaConfig.properties());
        props.putAll(overrides);
        return props;
    }

    private static Path writeProperties(Path dataDir, Properties props) {
        Path file = dataDir.resolve("kafka-server.properties");
        try {
            Files.createDirectories(dataDir);
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "written by agentwatch on every start of the embedded broker; edits are overwritten");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (is the data directory writable?)", e);
        }
    }

    private void awaitReady(Duration timeout) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, timeout.toMillis())))) {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            if (nodes < 1) {
                throw new IllegalStateException("the Kafka broker on " + bootstrapServers() + " reports no live broker");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the Kafka broker on " + bootstrapServers() + " did not answer within " + timeout + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private static RuntimeException translate(RuntimeException e, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof BindException || message.contains("Address already in use")) {
                int taken = portIn(message, port);
                return new PortInUseException(taken, taken == port ? SERVICE : "Kafka controller, a port picked at random: try again", e);
            }
        }
        return new IllegalStateException("the Kafka broker failed to start: " + e.getMessage(), e);
    }

    /** The port in a bind failure such as "Socket server failed to bind to 127.0.0.1:9092: Address already in use". */
    private static int portIn(String message, int fallback) {
        Matcher m = BOUND_PORT.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The cluster id written when the data directory was first formatted; the same after every restart. */
    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down (controlled shutdown) and waits for it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping Kafka broker on {}", bootstrapServers());
        stopQuietly(server);
        lock.close();
        log.info("Kafka broker on {} stopped", bootstrapServers());
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("error while stopping the Kafka broker: {}", e.toString());
        }
    }
}
