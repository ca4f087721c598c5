package io.agentwatch.stack.demo;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the alert topic as a receiver would (read_committed, from the beginning, no consumer group) and prints
 * one readable line per alert, FIRING or RESOLVED, keeping every alert for the score at the end.
 */
public final class AlertPrinter implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroWireDeserializer<Alert> deserializer;
    private final PrintWriter out;
    private final List<Alert> alerts = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public AlertPrinter(String bootstrap, SchemaRegistryClient registry, String topic, PrintWriter out) {
        this.out = out;
        this.deserializer = new AvroWireDeserializer<>(registry, Alert.class);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "agentwatch-demo-printer"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "demo-alert-printer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Alert alert;
                    try {
                        alert = deserializer.deserialize(record.topic(), record.value());
                    } catch (RuntimeException e) {
                        out.println("  (an alert record that does not decode: " + e.getMessage() + ")");
                        continue;
                    }
                    synchronized (alerts) {
                        alerts.add(alert);
                    }
                    out.println(line(alert));
                    out.flush();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** One line: time, status, severity, alertname, what and where. */
    static String line(Alert a) {
        String when = LocalTime.now(ZoneId.systemDefault()).format(TIME);
        String status = a.getStatus() == AlertStatus.FIRING ? "FIRING  " : "resolved";
        StringBuilder where = new StringBuilder();
        if (a.getRootCauseAgentId() != null) {
            where.append("root cause ").append(a.getRootCauseAgentId());
        } else if (a.getScope().getSessionId() != null) {
            where.append("session ").append(shorten(a.getScope().getSessionId())).append(" of ").append(a.getScope().getAgentId());
        } else if (a.getScope().getAgentId() != null) {
            where.append(a.getScope().getAgentId());
        }
        String summary = a.getSummary().startsWith("resolved: ") ? a.getSummary().substring("resolved: ".length()) : a.getSummary();
        return String.format(Locale.ROOT, "%s  %s %-8s %-28s %-34s %s", when, status, a.getSeverity().name().toLowerCase(Locale.ROOT),
                a.getAlertname(), where, summary);
    }

    private static String shorten(String id) {
        return id.length() > 12 ? id.substring(0, 8) + "…" : id;
    }

    /** Every alert seen so far, in arrival order. */
    public List<Alert> alerts() {
        synchronized (alerts) {
            return List.copyOf(alerts);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
