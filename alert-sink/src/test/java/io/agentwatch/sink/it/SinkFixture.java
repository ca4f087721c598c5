package io.agentwatch.sink.it;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.service.Settings;
import io.agentwatch.sink.AlertSink;
import io.agentwatch.sink.SinkSettings;
import io.agentwatch.testsupport.KafkaStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, settings and producers of one IT: its own alert topic, dead-letter topic and consumer group. */
final class SinkFixture implements AutoCloseable {
    final KafkaStack stack;
    final String topic;
    final String dlq;
    final String group;
    final Path dir;
    private final KafkaProducer<String, Alert> producer;

    SinkFixture(KafkaStack stack, Path dir, int partitions) {
        this.stack = stack;
        this.dir = dir;
        this.topic = stack.uniqueName("alerts");
        this.dlq = stack.uniqueName("alerts-dlq");
        this.group = stack.uniqueName("sink");
        stack.createTopic(topic, partitions);
        stack.createTopic(dlq, 1);
        Map<String, Object> props = stack.producerProps();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new AvroWireSerializer<>(stack.registryClient(), false, true));
    }

    /** Produces the alerts, keyed by fingerprint, and waits for the broker's acknowledgement. */
    void produce(Alert... alerts) throws Exception {
        for (Alert a : alerts) {
            producer.send(new ProducerRecord<>(topic, a.getFingerprint(), a)).get(10, TimeUnit.SECONDS);
        }
    }

    /** Produces raw bytes (a poison pill). */
    void produceRaw(String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(stack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(10, TimeUnit.SECONDS);
        }
    }

    /** Writes the routes file and returns the sink settings pointing at this fixture's topics. */
    Map<String, String> settings(String routesYaml) throws Exception {
        Path routes = Files.createTempFile(dir, "routes", ".yaml");
        Files.writeString(routes, routesYaml);
        Map<String, String> s = new HashMap<>();
        s.put(SinkSettings.BOOTSTRAP, stack.bootstrapServers());
        s.put(SinkSettings.REGISTRY_URL, stack.registryUrl());
        s.put(SinkSettings.ALERTS_TOPIC, topic);
        s.put(SinkSettings.DLQ_TOPIC, dlq);
        s.put(SinkSettings.GROUP, group);
        s.put(SinkSettings.ROUTES_FILE, routes.toString());
        s.put(SinkSettings.HTTP_PORT, "0");
        s.put(SinkSettings.INHIBIT_HOLD, "2s");
        s.put(SinkSettings.COMMIT_INTERVAL, "200ms");
        return s;
    }

    AlertSink sink(String routesYaml, Map<String, String> secrets) throws Exception {
        Settings settings = Settings.load(SinkSettings.ALL, null, Map.of(), settings(routesYaml));
        return new AlertSink(settings, secrets, Instant::now).start();
    }

    /** Every record on the dead-letter topic so far. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(int atLeast, Duration atMost) {
        Map<String, Object> props = stack.consumerProps(stack.uniqueName("dlq-reader"));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(dlq));
            if (atLeast == 0) {
                List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
                long end = System.nanoTime() + atMost.toNanos();
                while (System.nanoTime() < end) {
                    c.poll(Duration.ofMillis(200)).forEach(out::add);
                }
                return out;
            }
            return io.agentwatch.testsupport.Await.records(c, atLeast, atMost);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
