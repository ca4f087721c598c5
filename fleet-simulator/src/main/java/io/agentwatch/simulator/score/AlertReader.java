package io.agentwatch.simulator.score;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the alert records of a topic for scoring: assigns every partition (no consumer group, nothing committed),
 * starts at the beginning or at the end, reads committed records only, and stops once it has reached the end
 * offsets it saw at the start and no new record has come for the idle wait. Undecodable records are skipped and
 * counted, not hidden: {@link Result#skipped()}.
 */
public final class AlertReader {
    private final Consumer<byte[], Alert> consumer;
    private final LongSupplier nanoClock;

    /** What was read. */
    public record Result(List<Alert> alerts, long skipped) {
    }

    public AlertReader(Consumer<byte[], Alert> consumer, LongSupplier nanoClock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** A reader with its own consumer; {@code extra} are more consumer and registry properties. */
    public static AlertReader create(String bootstrapServers, String registryUrl, Map<String, ?> extra) {
        Map<String, Object> config = consumerConfig(bootstrapServers, registryUrl, extra);
        AvroWireDeserializer<Alert> values = new AvroWireDeserializer<>();
        Map<String, Object> serde = new HashMap<>(config);
        serde.put(AvroWireDeserializer.VALUE_TYPE, Alert.class);
        values.configure(serde, false);
        return new AlertReader(new KafkaConsumer<>(config, new ByteArrayDeserializer(), values), System::nanoTime);
    }

    public static Map<String, Object> consumerConfig(String bootstrapServers, String registryUrl, Map<String, ?> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(RegistryConfig.URL, registryUrl);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentwatch-score");
        if (extra != null) {
            config.putAll(extra);
        }
        return config;
    }

    /**
     * @param fromBeginning read what the topic already holds; otherwise only alerts that arrive from now on
     * @param idleWait      stop after this long without a new record (once the initial end offsets are reached)
     */
    public Result read(String topic, boolean fromBeginning, Duration idleWait) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        List<Alert> alerts = new ArrayList<>();
        long skipped = 0;
        long lastRecord = nanoClock.getAsLong();
        while (true) {
            try {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], Alert> r : records) {
                    if (r.value() != null) {
                        alerts.add(r.value());
                    }
                }
                if (!records.isEmpty()) {
                    lastRecord = nanoClock.getAsLong();
                }
            } catch (RecordDeserializationException e) {
                skipped++;
                consumer.seek(e.topicPartition(), e.offset() + 1);
                continue;
            }
            boolean caughtUp = assigned.stream().allMatch(tp -> consumer.position(tp) >= end.getOrDefault(tp, 0L));
            if (caughtUp && nanoClock.getAsLong() - lastRecord >= idleWait.toNanos()) {
                return new Result(alerts, skipped);
            }
        }
    }

    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
    }
}
