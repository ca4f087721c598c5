package io.agentwatch.gateway;

import io.agentwatch.service.ConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer configuration: the gateway's defaults, then whatever {@code KAFKA_*} / {@code kafka.*} set.
 * Defaults: idempotent with acks=all (a request is acknowledged only once every replica has its events), lz4
 * compression, 5 ms linger and 128 KiB batches (many small requests share a batch), send() blocking at most 1 s
 * when the buffer is full or metadata is missing (then the request gets 503), and a delivery timeout of
 * 30 s.
 */
public final class ProducerSettings {
    private ProducerSettings() {
    }

    public static Map<String, Object> build(Map<String, Object> kafka, Duration publishTimeout) {
        Object bootstrap = kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.toString().isBlank()) {
            throw new ConfigException("missing Kafka bootstrap servers: set 'bootstrap.servers' (AGENTWATCH_BOOTSTRAP_SERVERS), KAFKA_BOOTSTRAP_SERVERS, "
                    + "kafka.bootstrap.servers in the settings file, or --bootstrap");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "agentwatch-gateway");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(30_000L, publishTimeout.toMillis() + 15_005L)));
        props.putAll(kafka);
        // the gateway supplies its own serializers
        props.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        props.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return props;
    }
}
