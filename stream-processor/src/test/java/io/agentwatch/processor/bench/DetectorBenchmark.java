package io.agentwatch.processor.bench;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.detect.AgentDetectorsProcessor;
import io.agentwatch.processor.detect.AgentRulesProcessor;
import io.agentwatch.processor.detect.CascadeProcessor;
import io.agentwatch.processor.detect.DetectorSettings;
import io.agentwatch.processor.detect.LineageSpan;
import io.agentwatch.processor.detect.ProjectLineageProcessor;
import io.agentwatch.processor.rules.OverridesVersion;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.processor.state.BoundedMemoryRocksDb;
import io.agentwatch.processor.state.CommitHookStore;
import io.agentwatch.processor.topology.AgentwatchTopology;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.processor.topology.TopologySettings;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * Per-event cost of the processors of one task, without Kafka: events from the synthetic fleet (sessions, tools,
 * traces, heartbeats) are decoded once up front, then handed to each processor as a stream thread would, on
 * RocksDB stores (bounded memory, logging off: the changelog is the producer's cost, not measured here), with a
 * commit (the commit hooks write the dirty live state) every {@code commitEvery} events, the event-time
 * punctuations every 5 s of event time and the wall-clock ones every {@code wallTickEvery} events. Prints CPU ns/event (the fair figure on a shared machine) and wall
 * ns/event for the core rules processor, the detectors node, the lineage projection plus its serde plus the
 * cascade node, and all of them together. Single thread.
 *
 * <pre>
 * mvn -pl stream-processor -am test-compile
 * java -cp "$(cat cp.txt):stream-processor/target/classes:stream-processor/target/test-classes" \
 *   io.agentwatch.processor.bench.DetectorBenchmark [events=1000000] [agents=500] [rate=500] [commitEvery=20000] [rounds=3] [wallTickEvery=25000] [only=-1] [liveSessions=20000]
 * </pre>
 */
public final class DetectorBenchmark {
    private static final long TICK_MS = 5_000;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private DetectorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 500;
        int commitEvery = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        // wall-clock punctuations once per this many events: one second of a task at ~25k events/s
        int wallTickEvery = args.length > 5 ? Integer.parseInt(args[5]) : 25_000;
        // only one variant (0 core, 1 detectors, 2 lineage and cascades, 3 all; 4-9 each detector alone, 10 the harness
        // alone; -1 the first four; -2 every one), for profiling
        int only = args.length > 6 ? Integer.parseInt(args[6]) : -1;
        int liveSessions = args.length > 7 ? Integer.parseInt(args[7]) : DetectorSettings.defaults().liveSessions();

        long start = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
        SimulationConfig config = SimulationConfig.of(42, agents, rate, Duration.ofSeconds((long) (events / rate) + 60), start).withMaxEvents(events);
        List<AgentEvent> input = new ArrayList<>(events);
        new FleetSimulator(config).forEach(input::add);
        long sessions = input.stream().map(AgentEvent::getSessionId).filter(s -> s != null).distinct().count();
        long projected = input.stream().filter(LineageSpan::matters).count();
        System.out.printf(Locale.ROOT, "%,d events, %d agents, %,d sessions, %,d lineage records (%.1f%%), %.0f s of event time, commit every %,d events%n",
                input.size(), agents, sessions, projected, 100.0 * projected / input.size(),
                (input.get(input.size() - 1).getTimestamp().toEpochMilli() - start) / 1000.0, commitEvery);

        RuleSet rules = RulesFile.defaults();
        String[] variants = {"core rules (evaluate-agent-rules)", "detectors (detect-agent-incidents)",
                "lineage + cascades (project-lineage, serde, detect-cascades)", "all of them",
                "  session budgets alone", "  loops alone", "  daily budgets alone", "  tool timeout chains alone", "  silence alone",
                "  release regressions alone", "  nothing (the harness alone)"};
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < variants.length; v++) {
                if ((only >= 0 && v != only) || (only == -1 && v > 3)) {
                    continue;
                }
                Harness h = new Harness(rules, v, liveSessions);
                long t0 = System.nanoTime();
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                h.run(input, commitEvery, wallTickEvery);
                long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                long ns = System.nanoTime() - t0;
                h.close();
                System.out.printf(Locale.ROOT, "round %d  %-62s %6.0f ns/event CPU (%6.0f wall)  %,9.0f events per CPU-second%n", round + 1,
                        variants[v], (double) cpu / input.size(), (double) ns / input.size(), input.size() / (cpu / 1e9));
            }
        }
    }

    /** One task's processors on their own stores. */
    private static final class Harness {
        private final File dir;
        private final List<Processor<String, AgentEvent, ?, ?>> processors = new ArrayList<>();
        private final List<MockProcessorContext<?, ?>> contexts = new ArrayList<>();
        private final List<CommitHookStore> hooks = new ArrayList<>();
        private final List<StateStore> stores = new ArrayList<>();
        private final LineageSpan.LineageSpanSerde serde = new LineageSpan.LineageSpanSerde();
        private CascadeProcessor cascades;
        private ForwardingContext<String, Object> cascadeContext;

        Harness(RuleSet rules, int variant, int liveSessions) throws Exception {
            dir = Files.createTempDirectory("agentwatch-bench").toFile();
            TopologySettings defaults = AgentwatchTopology.defaultSettings(rules, 1);
            DetectorSettings d0 = defaults.detectors();
            TopologySettings settings = defaults.withDetectors(new DetectorSettings(liveSessions, d0.liveTraces(), d0.liveAgents(), d0.tick(), d0.wallClockTick()));
            ProcessorMetrics metrics = ProcessorMetrics.noop();
            OverridesVersion version = new OverridesVersion();
            if (variant == 0 || variant == 3) {
                add(new AgentRulesProcessor(rules, settings.agentRules(), version, metrics), r -> { });
            }
            if (variant == 1 || variant == 3) {
                add(new AgentDetectorsProcessor(rules, settings.detectors(), version, metrics), r -> { });
            }
            if (variant >= 4) {
                RuleResolver resolver = new RuleResolver(rules.all(), version, metrics);
                DetectorSettings d = settings.detectors();
                add(switch (variant) {
                    case 4 -> new io.agentwatch.processor.detect.SessionBudgetDetector(rules, d, resolver, metrics);
                    case 5 -> new io.agentwatch.processor.detect.LoopDetector(rules, d, resolver, metrics);
                    case 6 -> new io.agentwatch.processor.detect.DailyBudgetDetector(rules, d, resolver, metrics);
                    case 7 -> new io.agentwatch.processor.detect.ToolTimeoutChainDetector(rules, d, resolver, metrics);
                    case 8 -> new io.agentwatch.processor.detect.SilenceDetector(rules, d, resolver, metrics);
                    case 9 -> new io.agentwatch.processor.detect.ReleaseRegressionDetector(rules, d, resolver, metrics);
                    default -> new Processor<String, AgentEvent, Object, Object>() {
                        @Override
                        public void process(Record<String, AgentEvent> record) {
                        }
                    };
                }, r -> { });
            }
            if (variant == 2 || variant == 3) {
                cascades = new CascadeProcessor(rules, settings.detectors(), version, metrics, settings.inputPartitions());
                cascadeContext = context();
                cascades.init((org.apache.kafka.streams.processor.api.ProcessorContext) cascadeContext);
                add(new ProjectLineageProcessor(settings.detectors().tick()), r -> {
                    // through the repartition topic's serde, as the cascade task would read it
                    byte[] bytes = serde.serialize("events-by-trace", (LineageSpan) r.value());
                    cascades.process(new Record<>((String) r.key(), serde.deserialize("events-by-trace", bytes), r.timestamp()));
                });
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void add(Processor<String, AgentEvent, ?, ?> p, Consumer<Record<Object, Object>> downstream) {
            ForwardingContext<Object, Object> ctx = context();
            ctx.downstream = downstream;
            p.init((org.apache.kafka.streams.processor.api.ProcessorContext) ctx);
            processors.add(p);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private <K, V> ForwardingContext<K, V> context() {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDb.class);
            File taskDir = new File(dir, "task-" + contexts.size());
            taskDir.mkdirs();
            // every processor is on partition 0 of the one-partition topology (project-lineage reports it in its markers)
            ForwardingContext<K, V> ctx = new ForwardingContext<>(props, new TaskId(contexts.size(), 0), taskDir);
            ctx.setCurrentSystemTimeMs(0);
            for (String name : List.of(StoreNames.AGENT_SCOPES, StoreNames.AGENT_EVALUATIONS, StoreNames.CASCADE_CAUSES, StoreNames.SESSIONS,
                    StoreNames.AGENT_DAILY_BUDGETS, StoreNames.AGENT_TOOLS, StoreNames.AGENT_SILENCE, StoreNames.AGENT_RELEASES,
                    StoreNames.TRACE_LINEAGE)) {
                register(ctx, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled().withCachingDisabled().build());
            }
            register(ctx, Stores.windowStoreBuilder(Stores.persistentWindowStore(StoreNames.AGENT_PANES, Duration.ofMinutes(20), Duration.ofMinutes(1), false),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build());
            register(ctx, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.RULE_OVERRIDES), Serdes.String(), Serdes.ByteArray())
                    .withLoggingDisabled().build());
            for (String hook : List.of(StoreNames.AGENT_RULES_HOOK, StoreNames.AGENT_DETECTORS_HOOK, StoreNames.TRACE_LINEAGE_HOOK)) {
                CommitHookStore store = new CommitHookStore(hook);
                register(ctx, store);
                hooks.add(store);
            }
            contexts.add(ctx);
            return ctx;
        }

        private void register(MockProcessorContext<?, ?> ctx, StateStore store) {
            store.init(ctx.getStateStoreContext(), store);
            ctx.addStateStore(store);
            stores.add(store);
        }

        void run(List<AgentEvent> input, int commitEvery, int wallTickEvery) {
            long streamTime = Long.MIN_VALUE;
            long nextTick = Long.MIN_VALUE;
            int n = 0;
            for (AgentEvent e : input) {
                long ts = e.getTimestamp().toEpochMilli();
                if (ts > streamTime) {
                    streamTime = ts;
                    for (MockProcessorContext<?, ?> c : contexts) {
                        c.setCurrentStreamTimeMs(ts);
                        c.setCurrentSystemTimeMs(ts);
                    }
                    if (nextTick == Long.MIN_VALUE) {
                        nextTick = ts + TICK_MS;
                    }
                    if (ts >= nextTick) {
                        punctuate(PunctuationType.STREAM_TIME, ts);
                        nextTick = ts + TICK_MS;
                    }
                }
                if (n % wallTickEvery == 0) {
                    punctuate(PunctuationType.WALL_CLOCK_TIME, streamTime);
                }
                Record<String, AgentEvent> record = new Record<>(e.getAgentId(), e, ts);
                for (Processor<String, AgentEvent, ?, ?> p : processors) {
                    p.process(record);
                }
                if (++n % commitEvery == 0) {
                    commit();
                }
            }
            commit();
        }

        private void punctuate(PunctuationType type, long time) {
            for (MockProcessorContext<?, ?> c : contexts) {
                for (MockProcessorContext.CapturedPunctuator p : c.scheduledPunctuators()) {
                    if (p.getType() == type) {
                        p.getPunctuator().punctuate(time);
                    }
                }
            }
        }

        private void commit() {
            for (CommitHookStore hook : hooks) {
                hook.flushCache();
            }
        }

        void close() {
            for (Processor<String, AgentEvent, ?, ?> p : processors) {
                p.close();
            }
            if (cascades != null) {
                cascades.close();
            }
            for (StateStore s : stores) {
                s.close();
            }
            try (var files = Files.walk(dir.toPath())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException ignored) {
                // temp dir
            }
        }
    }

    /** A mock context that hands forwarded records to the next step instead of keeping them. */
    private static final class ForwardingContext<K, V> extends MockProcessorContext<K, V> {
        Consumer<Record<Object, Object>> downstream = r -> { };

        ForwardingContext(Properties props, TaskId task, File dir) {
            super(props, task, dir);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <K2 extends K, V2 extends V> void forward(Record<K2, V2> record) {
            downstream.accept((Record<Object, Object>) record);
        }

        @Override
        public void commit() {
            // requested commits happen on the benchmark's own cadence
        }
    }
}
