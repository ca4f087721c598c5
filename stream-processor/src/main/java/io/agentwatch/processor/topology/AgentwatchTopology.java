package io.agentwatch.processor.topology;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.detect.AgentRulesProcessor;
import io.agentwatch.processor.control.ControlCommandsProcessor;
import io.agentwatch.processor.detect.AgentDetectorsProcessor;
import io.agentwatch.processor.detect.AgentRulesSettings;
import io.agentwatch.processor.detect.CascadeNotices;
import io.agentwatch.processor.detect.CascadeProcessor;
import io.agentwatch.processor.detect.DetectorSettings;
import io.agentwatch.processor.detect.LineageSpan;
import io.agentwatch.processor.detect.LineageSpanPartitioner;
import io.agentwatch.processor.detect.ProjectLineageProcessor;
import io.agentwatch.processor.detect.RecordCascadeCausesProcessor;
import io.agentwatch.processor.ingest.DecodeEventsProcessor;
import io.agentwatch.processor.ingest.EventTimeExtractor;
import io.agentwatch.processor.ingest.Ingested;
import io.agentwatch.processor.rules.OverridesVersion;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesStoreUpdater;
import io.agentwatch.processor.state.CommitHookStoreBuilder;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.validation.AgentEventValidator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The agentwatch topology, as a pure function of its topics, rules and settings: it reads no environment, starts
 * nothing and changes no properties. Every source, processor, sink and store is named; the golden test of
 * {@code describe()} keeps the names (and so the internal topic names) from changing by accident.
 *
 * <pre>
 * ingest-agent.events -> decode-events -> route-dead-letters -> unwrap-dead-letters -> egress-agent.events.dlq
 *                                      -> route-mis-keyed -> unwrap-mis-keyed -> events-by-agent (repartition) -+
 *                                      -> route-keyed -> unwrap-keyed ---------------------------------------- merge-events-by-agent
 *   merge-events-by-agent -> evaluate-agent-rules [agent-panes-store, agent-scopes-store, cascade-causes-store] ----+
 *                         -> detect-agent-incidents [sessions-store,                                                  |
 *                              agent-daily-budgets-store, agent-tools-store, agent-silence-store,                    |
 *                              agent-releases-store, cascade-causes-store] ------------------------------------------+
 *                         -> project-lineage -> events-by-trace (repartition, progress markers to every partition)
 *   alerts (merged) -> egress-agent.alerts
 *                   -> issue-control-commands [control-incidents-store] -> egress-agent.control   (control.enabled)
 * events-by-trace -> detect-cascades [trace-lineage-store] -> egress-cascades-agent.alerts        (own sub-topology)
 *                 -> notify-downstream-agents -> cascade-notices (repartition)
 *                    -> record-cascade-causes [cascade-causes-store]                               (agents' sub-topology)
 * ingest-agent.rules -> update-rule-overrides [rule-overrides-store] (global)
 * </pre>
 *
 * Two sub-topologies per event: the agents' (keyed by agent) and the cascades' (keyed by trace). The cascades have
 * their own so that trace-keyed records never feed the agents' tasks, whose stream time (lateness, idle evaluations)
 * must follow their own partition's events. The repartition topics have the events topic's partition count, so
 * that a cascade notice for agent A lands in A's task, where A's detectors read it.
 */
public final class AgentwatchTopology {
    /** The kinds the node {@code detect-agent-incidents} evaluates. */
    private static final List<RuleKind> AGENT_DETECTOR_KINDS = List.of(RuleKind.SESSION_BUDGET, RuleKind.LOOP, RuleKind.DAILY_BUDGET,
            RuleKind.TOOL_TIMEOUT_CHAIN, RuleKind.SILENCE, RuleKind.RELEASE_REGRESSION);

    private AgentwatchTopology() {
    }

    public static Topology build(Topics topics, RuleSet rules, TopologySettings settings, ProcessorMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        OverridesVersion overridesVersion = new OverridesVersion();

        StoreBuilder<KeyValueStore<String, AlertRule>> overridesStore = Stores.keyValueStoreBuilder(
                        settings.stores() == TopologySettings.StoreKind.ROCKSDB
                                ? Stores.persistentKeyValueStore(StoreNames.RULE_OVERRIDES)
                                : Stores.inMemoryKeyValueStore(StoreNames.RULE_OVERRIDES),
                        Serdes.String(), topics.rules().valueSerde())
                .withLoggingDisabled();
        builder.addGlobalStore(overridesStore, topics.rules().name(),
                Consumed.with(topics.rules().keySerde(), topics.rules().valueSerde()).withName("ingest-" + topics.rules().name()),
                () -> new RulesStoreUpdater(StoreNames.RULE_OVERRIDES, overridesVersion));

        KStream<byte[], byte[]> raw = builder.stream(topics.events().name(),
                Consumed.with(topics.events().keySerde(), topics.events().valueSerde())
                        .withName("ingest-" + topics.events().name())
                        .withTimestampExtractor(new EventTimeExtractor(settings.maxFutureSkew().toMillis())));

        AgentEventValidator validator = new AgentEventValidator(settings.maxFutureSkew().toMillis());
        KStream<String, Ingested> decoded = raw.process(
                () -> new DecodeEventsProcessor(topics.eventDeserializer(), validator, settings.inputPartitions(), settings.registryMaxWait(),
                        settings.maxEventBytes(), metrics),
                Named.as("decode-events"));

        Map<String, KStream<String, Ingested>> routes = decoded.split(Named.as("route-"))
                .branch((key, value) -> value.route() == Ingested.Route.DEAD_LETTER, Branched.as("dead-letters"))
                .branch((key, value) -> value.route() == Ingested.Route.REKEY, Branched.as("mis-keyed"))
                .defaultBranch(Branched.as("keyed"));

        routes.get("route-dead-letters")
                .map((key, value) -> KeyValue.pair(value.rawKey(), value.rawValue()), Named.as("unwrap-dead-letters"))
                .to(topics.eventsDeadLetter().name(), Produced.with(topics.eventsDeadLetter().keySerde(), topics.eventsDeadLetter().valueSerde())
                        .withName("egress-" + topics.eventsDeadLetter().name()));

        // events keyed by something other than their agent (or on another partition) go through a repartition
        // topic keyed by agent_id, so that each agent's state lives in exactly one task
        KStream<String, AgentEvent> rekeyed = routes.get("route-mis-keyed")
                .mapValues(Ingested::event, Named.as("unwrap-mis-keyed"))
                .repartition(Repartitioned.with(Serdes.String(), topics.internalEvents()).withName("events-by-agent"));
        KStream<String, AgentEvent> events = routes.get("route-keyed")
                .mapValues(Ingested::event, Named.as("unwrap-keyed"))
                .merge(rekeyed, Named.as("merge-events-by-agent"));

        AgentRulesSettings agentRules = settings.agentRules();
        boolean rocks = settings.stores() == TopologySettings.StoreKind.ROCKSDB;
        StoreBuilder<WindowStore<String, byte[]>> panes = Stores.windowStoreBuilder(rocks
                        ? Stores.persistentWindowStore(StoreNames.AGENT_PANES, agentRules.paneRetention(), AgentRulesSettings.PANE, false)
                        : Stores.inMemoryWindowStore(StoreNames.AGENT_PANES, agentRules.paneRetention(), AgentRulesSettings.PANE, false),
                        Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled();
        builder.addStateStore(panes);
        builder.addStateStore(keyValueStore(StoreNames.AGENT_SCOPES, rocks));
        builder.addStateStore(keyValueStore(StoreNames.AGENT_EVALUATIONS, rocks));
        builder.addStateStore(keyValueStore(StoreNames.CASCADE_CAUSES, rocks));
        builder.addStateStore(new CommitHookStoreBuilder(StoreNames.AGENT_RULES_HOOK));

        KStream<String, Alert> alerts = events.process(
                () -> new AgentRulesProcessor(rules, agentRules, overridesVersion, metrics),
                Named.as("evaluate-agent-rules"),
                StoreNames.AGENT_PANES, StoreNames.AGENT_SCOPES, StoreNames.AGENT_EVALUATIONS, StoreNames.AGENT_RULES_HOOK,
                StoreNames.CASCADE_CAUSES);

        // a detector whose kind has no rule in the rules file costs nothing: its nodes are left out
        DetectorSettings detectors = settings.detectors();
        if (AGENT_DETECTOR_KINDS.stream().anyMatch(kind -> !rules.ofKind(kind).isEmpty())) {
            for (String name : List.of(StoreNames.SESSIONS, StoreNames.AGENT_DAILY_BUDGETS, StoreNames.AGENT_TOOLS, StoreNames.AGENT_SILENCE,
                    StoreNames.AGENT_RELEASES)) {
                builder.addStateStore(keyValueStore(name, rocks));
            }
            builder.addStateStore(new CommitHookStoreBuilder(StoreNames.AGENT_DETECTORS_HOOK));
            // session, budget, loop, tool, silence and release detectors: one node, one dispatch per event for all of them
            KStream<String, Alert> detectorAlerts = events.process(
                    () -> new AgentDetectorsProcessor(rules, detectors, overridesVersion, metrics),
                    Named.as("detect-agent-incidents"),
                    StoreNames.SESSIONS, StoreNames.AGENT_DAILY_BUDGETS, StoreNames.AGENT_TOOLS,
                    StoreNames.AGENT_SILENCE, StoreNames.AGENT_RELEASES, StoreNames.AGENT_DETECTORS_HOOK, StoreNames.CASCADE_CAUSES);
            alerts = alerts.merge(detectorAlerts, Named.as("merge-detector-alerts"));
        }

        if (!rules.ofKind(RuleKind.CASCADE).isEmpty()) {
            builder.addStateStore(keyValueStore(StoreNames.TRACE_LINEAGE, rocks));
            builder.addStateStore(new CommitHookStoreBuilder(StoreNames.TRACE_LINEAGE_HOOK));
            // cascades: only agent runs and failures are re-keyed by trace, as compact lineage records, with every
            // task's progress markers multicast to every partition (the cascade detector's low watermark)
            KStream<String, Alert> cascadeAlerts = events
                    .process(() -> new ProjectLineageProcessor(detectors.tick()), Named.as("project-lineage"))
                    .repartition(Repartitioned.with(Serdes.String(), new LineageSpan.LineageSpanSerde())
                            .withStreamPartitioner(new LineageSpanPartitioner())
                            .withName("events-by-trace").withNumberOfPartitions(settings.inputPartitions()))
                    .process(() -> new CascadeProcessor(rules, detectors, overridesVersion, metrics, settings.inputPartitions()),
                            Named.as("detect-cascades"), StoreNames.TRACE_LINEAGE, StoreNames.TRACE_LINEAGE_HOOK);

            // a cascade's downstream agents learn of it on their own partitions (same partition count as the events)
            cascadeAlerts
                    .process(() -> new CascadeNotices(rules), Named.as("notify-downstream-agents"))
                    .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                            .withName("cascade-notices").withNumberOfPartitions(settings.inputPartitions()))
                    .process(RecordCascadeCausesProcessor::new, Named.as("record-cascade-causes"), StoreNames.CASCADE_CAUSES);
            // cascade alerts go out on their own: merging them into the agents' alert stream would put the trace-keyed
            // topic in the agents' tasks, whose stream time (lateness, idle evaluations) would then follow other
            // partitions' events. No control commands for cascades: they name agents, not one session to act on.
            cascadeAlerts.to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                    .withName("egress-cascades-" + topics.alerts().name()));
        }

        alerts.to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                .withName("egress-" + topics.alerts().name()));

        if (settings.controlEnabled()) {
            builder.addStateStore(keyValueStore(StoreNames.CONTROL_INCIDENTS, rocks));
            alerts.process(() -> new ControlCommandsProcessor(rules, metrics), Named.as("issue-control-commands"), StoreNames.CONTROL_INCIDENTS)
                    .to(topics.control().name(), Produced.with(topics.control().keySerde(), topics.control().valueSerde())
                            .withName("egress-" + topics.control().name()));
        }
        return builder.build();
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> keyValueStore(String name, boolean rocks) {
        return Stores.keyValueStoreBuilder(rocks ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name),
                        Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled();
    }

    /**
     * Default settings for tests and tools: 6 input partitions, 1 day future skew, 1 minute of registry patience,
     * detector defaults, control commands off.
     */
    public static TopologySettings defaultSettings(RuleSet rules, int inputPartitions) {
        int[] windows = rules.windowMinutes().stream().mapToInt(Integer::intValue).toArray();
        return new TopologySettings(inputPartitions, Duration.ofDays(1), Duration.ofMinutes(1),
                new AgentRulesSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), windows.length == 0 ? new int[] {5} : windows,
                        20_000, 10, Duration.ofMinutes(30)), DetectorSettings.defaults(), false, TopologySettings.StoreKind.ROCKSDB);
    }
}
