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
 * @param maxEventBytes    an input record whose value is larger is not decoded but dead-lettered ({@code oversized-record})
 */
public record TopologySettings(int inputPartitions, Duration maxFutureSkew, Duration registryMaxWait, AgentRulesSettings agentRules,
                               DetectorSettings detectors, boolean controlEnabled, StoreKind stores, int maxEventBytes) {
    /** The default of {@code events.max-bytes}: ~1000 times a typical event, far below the broker's 1 MB record limit. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 256 * 1024;

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
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be >= 1");
        }
    }

    /** Settings with the default maximum event size. */
    public TopologySettings(int inputPartitions, Duration maxFutureSkew, Duration registryMaxWait, AgentRulesSettings agentRules,
                            DetectorSettings detectors, boolean controlEnabled, StoreKind stores) {
        this(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, detectors, controlEnabled, stores, DEFAULT_MAX_EVENT_BYTES);
    }

    public TopologySettings withStores(StoreKind kind) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, detectors, controlEnabled, kind, maxEventBytes);
    }

    public TopologySettings withAgentRules(AgentRulesSettings rules) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, rules, detectors, controlEnabled, stores, maxEventBytes);
    }

    public TopologySettings withDetectors(DetectorSettings settings) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, settings, controlEnabled, stores, maxEventBytes);
    }

    public TopologySettings withControl(boolean enabled) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, detectors, enabled, stores, maxEventBytes);
    }

    public TopologySettings withMaxEventBytes(int bytes) {
        return new TopologySettings(inputPartitions, maxFutureSkew, registryMaxWait, agentRules, detectors, controlEnabled, stores, bytes);
    }
}
