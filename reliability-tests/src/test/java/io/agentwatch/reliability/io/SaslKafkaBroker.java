package io.agentwatch.reliability.io;

import io.agentwatch.embedded.Ports;
import io.agentwatch.embedded.SingleNodeKafkaConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker (Kafka's own server classes in this JVM) whose only client listener is
 * SASL_PLAINTEXT with SCRAM-SHA-512, the broker talking to itself over it too. The SCRAM credentials are written
 * into the cluster metadata when the log directory is formatted ({@code kafka-storage format --add-scram}), so they
 * exist before the first client connects. The controller listener is internal (PLAINTEXT on loopback).
 */
final class SaslKafkaBroker implements AutoCloseable {
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String ADMIN_USER = "admin";

    private final KafkaRaftServer server;
    private final int port;
    private final String adminPassword;

    private SaslKafkaBroker(KafkaRaftServer server, int port, String adminPassword) {
        this.server = server;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    /** Formats {@code dir}, with SCRAM credentials for the admin and each of {@code users} (name to password), and starts. */
    static SaslKafkaBroker start(Path dir, String adminPassword, Map<String, String> users) {
        int port = Ports.freePort();
        int controllerPort = Ports.freePort();
        Path logDir = dir.resolve("kafka");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas(ADMIN_USER, adminPassword));
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        props.putAll(SingleNodeKafkaConfig.properties());
        Path file = dir.resolve("sasl-server.properties");
        try {
            Files.createDirectories(logDir);
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "SASL/SCRAM test broker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(),
                "--add-scram", MECHANISM + "=[name=" + ADMIN_USER + ",password=" + adminPassword + "]"));
        users.forEach((user, password) -> {
            format.add("--add-scram");
            format.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
        });
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(format.toArray(String[]::new), out);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the SASL broker failed (" + exit + "): " + output.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        SaslKafkaBroker broker = new SaslKafkaBroker(server, port, adminPassword);
        try (Admin admin = Admin.create(broker.clientProps(ADMIN_USER, adminPassword))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            throw new IllegalStateException("the SASL broker on " + broker.bootstrapServers() + " did not answer: " + e, e);
        }
        return broker;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Client properties that authenticate as {@code user}. */
    Map<String, Object> clientProps(String user, String password) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(user, password));
        return p;
    }

    /** The same as KAFKA_* environment variables, the way the services take Kafka client settings. */
    Map<String, String> clientEnv(String user, String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", MECHANISM);
        env.put("KAFKA_SASL_JAAS_CONFIG", jaas(user, password));
        return env;
    }

    void createTopics(Map<String, Integer> partitions) throws Exception {
        try (Admin admin = Admin.create(clientProps(ADMIN_USER, adminPassword))) {
            List<NewTopic> topics = partitions.entrySet().stream().map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1)).toList();
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
