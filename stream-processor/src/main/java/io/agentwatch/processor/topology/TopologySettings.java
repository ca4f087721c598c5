package io.agentwatch.processor.topology;

import io.agentwatch.processor.detect.AgentRulesSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings the topology is a function of (besides topics and rules).
 *
 * @param inputPartitions  partitions of the events topic, to tell whether a record sits on its agent's partition
 * @param maxFutureSkew    how far ahead of the wall clock an event time may be before it is absurd
 * @param registryMaxWait  how long decoding waits for an unreachable registry before failing the task
 * @param agentRules       windows, grace, evaluation interval, cache and baseline settings
 * @param stores           where state lives: RocksDB (production) or memory (backtests and unit tests, which
 *                         replay a bounded input and need no restart)
 */
public record TopologySettings(int inputPartitions, Duration maxFutureSkew, Duration registryMaxWait, AgentRulesSettings agentRules,
                               StoreKind stores) {

    /** Where state stores keep their data. */
    public enum StoreKind { ROCKSDB, IN_MEMORY }

    public TopologySettings {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(registryMaxWait, "registryMaxWait");
        Objects.requireNonNull(agentRules, "agentRules");
        Objects.requireNonNull(stores, "stores");
        if (inputPartitions < 1) {
            throw new IllegalArgumentException("inputPartitions must be >= 1");
        }
    }

    public TopologySettings withStores(StoreKind kind) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, kind);
    }

    public TopologySettings withAgentRules(AgentRulesSettings rules) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, rules, stores);
    }
}
