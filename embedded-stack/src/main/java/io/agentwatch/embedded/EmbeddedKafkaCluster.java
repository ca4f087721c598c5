package io.agentwatch.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-broker KRaft cluster in this JVM: one controller and {@code n} brokers, each a
 * {@link KafkaRaftServer} with its own log directory and fixed client port, so that one broker can be stopped and
 * started again (same node id, same data, same port) while the others serve: what a broker loss looks like to
 * clients. Internal topics are replicated to every broker with a minimum ISR of {@code n - 1}; the defaults for
 * new topics are the same. One controller only: three controllers of Kafka 4.3.1 in one JVM lose their raft
 * threads (see the platform notes).
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final int CONTROLLER_ID = 100;

    private final Path dataDir;
    private final String clusterId;
    private final Properties controllerProps;
    private final KafkaRaftServer controller;
    private final Map<Integer, Properties> brokerProps = new LinkedHashMap<>();
    private final Map<Integer, KafkaRaftServer> running = new LinkedHashMap<>();
    private final Map<Integer, Integer> ports = new LinkedHashMap<>();

    private EmbeddedKafkaCluster(Path dataDir, String clusterId, Properties controllerProps, KafkaRaftServer controller) {
        this.dataDir = dataDir;
        this.clusterId = clusterId;
        this.controllerProps = controllerProps;
        this.controller = controller;
    }

    /**
     * Formats and starts a controller and {@code brokers} brokers under {@code dataDir} and waits until every broker
     * is registered.
     *
     * @param overrides extra broker properties, applied last
     */
    public static EmbeddedKafkaCluster start(Path dataDir, int brokers, Map<String, String> overrides) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, got " + brokers);
        }
        Path dir = dataDir.toAbsolutePath();
        String clusterId = Uuid.randomUuid().toString();
        int controllerPort = Ports.freePort();
        String voters = CONTROLLER_ID + "@" + Ports.HOST + ":" + controllerPort;
        Properties c = common(CONTROLLER_ID, voters, dir.resolve("controller"));
        c.put("process.roles", "controller");
        c.put("listeners", "CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
        format(dir, "controller", c, clusterId);
        KafkaRaftServer controller = new KafkaRaftServer(KafkaConfig.fromProps(c, false), Time.SYSTEM);
        controller.startup();
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(dir, clusterId, c, controller);
        try {
            for (int id = 1; id <= brokers; id++) {
                int port = Ports.freePort();
                Properties b = common(id, voters, dir.resolve("broker-" + id));
                b.put("process.roles", "broker");
                b.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
                b.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
                b.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                b.put("inter.broker.listener.name", "PLAINTEXT");
                replicated(b, brokers);
                b.putAll(overrides);
                format(dir, "broker-" + id, b, clusterId);
                cluster.brokerProps.put(id, b);
                cluster.ports.put(id, port);
                cluster.startBroker(id);
            }
            cluster.awaitBrokers(brokers, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        log.info("Kafka cluster {} up: {} brokers on {} (data {})", clusterId, brokers, cluster.bootstrapServers(), dir);
        return cluster;
    }

    private static Properties common(int nodeId, String voters, Path logDir) {
        Properties p = new Properties();
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        return p;
    }

    /** Internal and new topics on every broker, writable while one broker is away. */
    private static void replicated(Properties p, int brokers) {
        String rf = String.valueOf(brokers);
        String isr = String.valueOf(Math.max(1, brokers - 1));
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", isr);
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", isr);
    }

    private static void format(Path dir, String node, Properties props, String clusterId) {
        Path file = dir.resolve(node + ".properties");
        try {
            Files.createDirectories(Path.of(props.getProperty("log.dirs")));
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "written by agentwatch's EmbeddedKafkaCluster");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", file.toString()}, out);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting " + node + " failed (exit " + exit + "): " + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    /** Starts (or starts again, on its old data and port) the broker with this node id. */
    public synchronized void startBroker(int id) {
        if (running.containsKey(id)) {
            throw new IllegalStateException("broker " + id + " is already running");
        }
        Properties props = brokerProps.get(id);
        if (props == null) {
            throw new IllegalArgumentException("no broker " + id + " in this cluster; brokers are " + brokerProps.keySet());
        }
        long t0 = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        running.put(id, server);
        log.info("broker {} started on {}:{} in {} ms", id, Ports.HOST, ports.get(id), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Shuts the broker down and waits for it; its data and port stay reserved for {@link #startBroker}. */
    public synchronized void stopBroker(int id) {
        KafkaRaftServer server = running.remove(id);
        if (server == null) {
            throw new IllegalStateException("broker " + id + " is not running");
        }
        long t0 = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info("broker {} stopped in {} ms", id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Waits until the cluster reports this many live brokers. */
    public void awaitBrokers(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (System.nanoTime() < deadline) {
                try {
                    int live = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                    if (live == count) {
                        return;
                    }
                    last = live + " live brokers";
                } catch (ExecutionException | TimeoutException e) {
                    last = e.toString();
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the brokers", e);
        }
        throw new IllegalStateException("the cluster did not report " + count + " live brokers within " + timeout + " (" + last + ")");
    }

    /** Every broker's address, running or not, so that clients find the cluster whichever broker is away. */
    public String bootstrapServers() {
        return ports.values().stream().map(p -> Ports.HOST + ":" + p).collect(Collectors.joining(","));
    }

    public List<Integer> brokerIds() {
        return new ArrayList<>(brokerProps.keySet());
    }

    public synchronized List<Integer> runningBrokerIds() {
        return new ArrayList<>(running.keySet());
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops every broker, then the controller. */
    @Override
    public synchronized void close() {
        for (Integer id : new ArrayList<>(running.keySet())) {
            try {
                stopBroker(id);
            } catch (RuntimeException e) {
                log.warn("error while stopping broker {}: {}", id, e.toString());
            }
        }
        try {
            controller.shutdown();
            controller.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("error while stopping the controller: {}", e.toString());
        }
        log.info("Kafka cluster {} stopped (controller config {})", clusterId, controllerProps.getProperty("listeners"));
    }
}
