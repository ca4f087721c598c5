package io.agentwatch.processor.topology;

import io.agentwatch.processor.detect.AgentRulesSettings;
import io.agentwatch.processor.detect.DetectorSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings the topology is a function of (besides topics and rules).
 *
 * @param inputPartitions  partitions of the events topic, to tell whether a record sits on its agent's partition
 * @param maxFutureSkew    how far ahead of the wall clock an event time may be before it is absurd
 * @param registryMaxWait  how long decoding waits for an unreachable registry before failing the task
 * @param agentRules       windows, grace, evaluation interval, cache and baseline settings
 * @param detectors        live state bounds and ticks of the session, budget, loop, tool, silence, release and
 *                         cascade detectors
 * @param controlEnabled   whether FIRING alerts of rules marked {@code control: true} also write ControlCommands
 * @param stores           where state lives: RocksDB (production) or memory (backtests and unit tests, which
 *                         replay a bounded input and need no restart)
 */
public record TopologySettings(int inputPartitions, Duration maxFutureSkew, Duration registryMaxWait, AgentRulesSettings agentRules,
                               DetectorSettings detectors, boolean controlEnabled, StoreKind stores) {

    /** Where state stores keep their data. */
    public enum StoreKind { ROCKSDB, IN_MEMORY }

    public TopologySettings {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(registryMaxWait, "registryMaxWait");
        Objects.requireNonNull(agentRules, "agentRules");
        Objects.requireNonNull(detectors, "detectors");
        Objects.requireNonNull(stores, "stores");
        if (inputPartitions < 1) {
            throw new IllegalArgumentException("inputPartitions must be >= 1");
        }
    }

    public TopologySettings withStores(StoreKind kind) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, detectors, controlEnabled, kind);
    }

    public TopologySettings withAgentRules(AgentRulesSettings rules) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, rules, detectors, controlEnabled, stores);
    }

    public TopologySettings withDetectors(DetectorSettings settings) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, settings, controlEnabled, stores);
    }

    public TopologySettings withControl(boolean enabled) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, detectors, enabled, stores);
    }
}
