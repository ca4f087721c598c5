package io.agentwatch.processor;

import io.agentwatch.processor.ingest.DeadLetterProcessingHandler;
import io.agentwatch.processor.state.BoundedMemoryRocksDb;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of the processor: exactly-once by default, RocksDB memory bounded, Kafka's own
 * record cache off (the detectors keep their own live state), poison pills and processing errors dead-lettered.
 * {@code KAFKA_*} / {@code kafka.*} properties override any of these.
 */
public final class StreamsProperties {
    private StreamsProperties() {
    }

    public static Properties of(ProcessorConfig c) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, c.guarantee());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.threads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitInterval().toMillis());
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.standbyReplicas());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, c.replicationFactor());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDb.class);
        p.put(BoundedMemoryRocksDb.MEMORY_CONFIG, Long.toString(c.rocksDbMemory()));
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        p.put(DeadLetterProcessingHandler.DLQ_TOPIC_CONFIG, c.eventsDeadLetterTopic());
        // the rule-overrides global store uses the same handler (and Kafka 5 will default to it)
        p.put("processing.exception.handler.global.enabled", true);
        if (!c.applicationServer().isEmpty()) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, c.applicationServer());
        }
        // A task reads two partitions (the events and the re-keying topic, nearly always empty). With the default
        // max.task.idle.ms (0) Kafka Streams checks, before every record, whether to wait for the empty one, and builds
        // log strings with String.format while doing so (12% of the CPU in our profile). Per-agent order holds either
        // way: an agent's events come all keyed (direct) or all not (re-keyed), so there is nothing to wait for.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // throughput: bigger fetches and batches. No compression by default: the changelog writes of a commit
        // spread over many partitions in small batches, and lz4 allocates a 64 KB block per batch (11% of all
        // allocation in our profile); set KAFKA_PRODUCER_COMPRESSION_TYPE where the network is the bottleneck
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 64 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        for (Map.Entry<String, Object> e : c.kafka().entrySet()) {
            p.put(e.getKey(), e.getValue());
        }
        return p;
    }
}
