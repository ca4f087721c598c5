package io.agentwatch.stack.bench;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The benchmark's yardstick: the least a consumer can do with these events — plain consumers (one per thread, in one
 * group) that decode each event and update per-agent counters in a hash map. No state store, no exactly-once, no
 * rules. The processor's throughput is reported as a fraction of this.
 */
final class RawBaseline {
    private RawBaseline() {
    }

    /** Consumes {@code expected} events of the topic from the beginning with {@code threads} consumers; events/s. */
    static double run(String bootstrap, SchemaRegistryClient registry, String topic, long expected, int threads) throws InterruptedException {
        AtomicLong consumed = new AtomicLong();
        String group = "bench-raw-" + System.nanoTime();
        Thread[] workers = new Thread[threads];
        long[] startNanos = {Long.MAX_VALUE};
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                Map<String, long[]> counters = new HashMap<>();
                AvroWireDeserializer<AgentEvent> deserializer = new AvroWireDeserializer<>(registry, AgentEvent.class);
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (consumed.get() < expected) {
                        var records = consumer.poll(Duration.ofMillis(200));
                        if (!records.isEmpty()) {
                            synchronized (startNanos) {
                                startNanos[0] = Math.min(startNanos[0], System.nanoTime());
                            }
                        }
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                            AgentEvent e = deserializer.deserialize(topic, r.value());
                            long[] c = counters.computeIfAbsent(e.getAgentId(), k -> new long[4]);
                            c[0]++;
                            if (e.getStatus() == Status.ERROR || e.getStatus() == Status.TIMEOUT) {
                                c[1]++;
                            }
                            Long latency = e.getLatencyMs();
                            if (latency != null) {
                                c[2] += latency;
                            }
                            Long tokens = e.getInputTokens();
                            if (tokens != null) {
                                c[3] += tokens;
                            }
                        }
                        consumed.addAndGet(records.count());
                    }
                }
            }, "bench-raw-" + i);
            workers[i].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - startNanos[0];
        return consumed.get() / (elapsed / 1e9);
    }
}
