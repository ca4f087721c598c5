package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertLifecycle;
import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.alerts.Fingerprint;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.OverridesVersion;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.processor.state.ColdKeys;
import io.agentwatch.processor.state.CommitHookStore;
import io.agentwatch.processor.state.LiveCache;
import io.agentwatch.processor.state.StoreSweeper;
import io.agentwatch.processor.state.WriteBatch;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * CascadeFailure (rules of kind {@code cascade}), the node {@code detect-cascades}: reads {@link LineageSpan}s keyed
 * by trace id (agent runs and failures, from the {@code events-by-trace} repartition topic) and keeps per trace its
 * lineage: span -> parent span -> agent links agents into a tree (a sub-agent's run is a child of its caller's run).
 * When at least {@code threshold} (default 3) distinct agents fail within {@code params.within} (default 60s) of
 * each other in one trace, it waits {@code for} (default 5s of event time, so that parent spans sent late can still
 * link) and emits one CRITICAL alert for the trace (fingerprint: rule and trace id) naming the root cause: the
 * failing agent with no other failing agent upstream of it, the earliest to fail if several. Labels:
 * {@code affected_agents} (comma list, in order of first failure), {@code root_cause_agent_id}; the trace is the
 * evidence. The FIRING alert then becomes notices to the other affected agents (see {@link CascadeNotices}). It
 * resolves {@code resolve_after} after the trace's last failure, or when the trace expires.
 *
 * <p>State: {@code trace-lineage-store}. Traces expire after {@code params.idle_timeout} (default 10m) without a
 * span, by the same amortized sweep as sessions. A trace is written to the store only once it has a failure: the
 * runs of traces that never fail (almost all) only ever live in the bounded live cache, which saves a changelog
 * write and a delete per run; the price is that after a restart (or an eviction) a cascade in a trace whose
 * healthy runs were lost is linked only as far as the spans that remain, and the earliest failure decides. The
 * traces waiting to fire and those firing are read back from the store when the task starts (restart, or the task
 * moved to another instance), so that they fire and resolve without waiting for another span.
 *
 * <p>Time: the spans of a trace come from every upstream task (one per partition of the events topic), each at its
 * own pace, so this task's stream time (driven by the fastest) says nothing about spans still on their way from a
 * lagging one. Expiry, the wait before firing and resolution therefore use the low watermark of the upstream tasks'
 * progress markers ({@link UpstreamWatermarks}), and the housekeeping tick runs when that watermark crosses a
 * multiple of the tick. Markers create no trace state and never reach the cold-key filter.
 */
public final class CascadeProcessor implements Processor<String, LineageSpan, String, Alert> {
    private static final int DEFAULT_AGENTS = 3;
    private static final Duration DEFAULT_WITHIN = Duration.ofSeconds(60);
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    private static final int SWEEP_BASE = 100;

    private final List<RuleDefinition> rules;
    private final DetectorSettings settings;
    private final RuleResolver resolver;
    private final ProcessorMetrics metrics;
    private final StoreSweeper sweeper = new StoreSweeper();
    private final ByteSink buffer = new ByteSink(256);
    /** Traces whose condition holds and that wait for {@code for} before firing; bounded by the cascades; read back on start. */
    private final Set<String> pending = new HashSet<>();
    /** Traces with a firing alert, for resolution; bounded by the cascades; read back on start. */
    private final Set<String> firing = new HashSet<>();

    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> store;
    private LiveCache<String, TraceState> cache;
    private WriteBatch<String> writes;
    private AlertEmitter emitter;
    private long persistedSinceTick;
    private long expired;
    /** Traces that may be stored but not live: a miss outside it is a new trace, and needs no store read. */
    private final ColdKeys cold = new ColdKeys(20);
    /** The upstream tasks' progress; in memory only: markers come back within a tick after a restart. */
    private final UpstreamWatermarks watermarks;
    private final long tickMs;
    private long nextTickAt = Long.MIN_VALUE;

    /** @param upstreamTasks partitions of the events topic: the tasks whose progress markers make the low watermark */
    public CascadeProcessor(RuleSet rules, DetectorSettings settings, OverridesVersion overridesVersion, ProcessorMetrics metrics,
                            int upstreamTasks) {
        this.rules = rules.ofKind(RuleKind.CASCADE);
        this.settings = settings;
        this.resolver = new RuleResolver(rules.all(), overridesVersion, metrics);
        this.metrics = metrics;
        this.watermarks = new UpstreamWatermarks(upstreamTasks);
        this.tickMs = settings.tick().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.TRACE_LINEAGE);
        this.writes = new WriteBatch<>(store);
        KeyValueStore<String, AlertRule> overrides = context.getStateStore(StoreNames.RULE_OVERRIDES);
        resolver.bind(overrides);
        this.cache = new LiveCache<>(settings.liveTraces(), this::load, this::write, false);
        cache.onEviction((traceId, t) -> {
            if (t.persisted) {
                cold.evicted(traceId.hashCode());
            }
        });
        CommitHookStore hook = context.getStateStore(StoreNames.TRACE_LINEAGE_HOOK);
        hook.register(() -> writes.flush(cache::flush));
        this.emitter = new AlertEmitter(context, metrics, null);
        readOpenTraces();
    }

    /**
     * The traces waiting out their {@code for} and those firing, from the store: the two sets live in memory, and
     * after a restart, or when the task moves to another instance, a trace no new span reaches would otherwise never
     * fire, or resolve only when it expires. One pass over the store when the task starts, which holds only traces
     * with a failure in the last {@code idle_timeout}.
     */
    private void readOpenTraces() {
        pending.clear();
        firing.clear();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                TraceState t = TraceState.decode(kv.value);
                if (t.hasActiveAlert()) {
                    firing.add(kv.key);
                } else if (t.pendingSince != 0) {
                    pending.add(kv.key);
                }
            }
        }
    }

    @Override
    public void process(Record<String, LineageSpan> record) {
        String traceId = record.key();
        LineageSpan span = record.value();
        if (span != null && span.isProgress()) {
            progress(span.upstreamPartition(), span.timestamp());
            return;
        }
        if (rules.isEmpty() || traceId == null || span == null) {
            return;
        }
        TraceState t = cache.peekDirty(traceId);
        if (t == null) {
            t = cold.mayContain(traceId.hashCode()) ? cache.get(traceId) : null;
            if (t == null) {
                t = new TraceState();
                cache.put(traceId, t);
            } else {
                cache.markDirty(traceId);
            }
        }
        if (!t.add(span) || t.failures == 0) {
            return;
        }
        // a repeated failure of a firing cascade counts when it is seen (as before); firing waits for the watermark
        long seenAt = Math.max(context.currentStreamTimeMs(), record.timestamp());
        for (RuleDefinition rule : rules) {
            evaluate(resolver.resolveForAll(rule), traceId, t, seenAt, span.failed());
        }
    }

    /** A progress marker: when the low watermark crosses a multiple of the tick, the time-driven work runs at it. */
    private void progress(int upstream, long time) {
        if (!watermarks.advance(upstream, time)) {
            return;
        }
        long low = watermarks.low();
        if (low >= nextTickAt) {
            nextTickAt = (Math.floorDiv(low, tickMs) + 1) * tickMs;
            tick(low);
        }
    }

    private void evaluate(EffectiveRule eff, String traceId, TraceState t, long seenAt, boolean newFailure) {
        RuleDefinition def = eff.definition();
        if (!eff.enabled()) {
            return;
        }
        if (t.hasActiveAlert()) {
            if (newFailure && t.alert.phase() == AlertState.Phase.FIRING) {
                Emit repeat = AlertLifecycle.occurred(t.alert, seenAt, def.repeatInterval());
                emitter.emit(def, t.alert, repeat, false, seenAt, context(def, traceId, t));
            }
            return;
        }
        if (t.pendingSince == 0) {
            long within = (long) def.param("within", DEFAULT_WITHIN.toMillis());
            List<String> together = t.failingTogether((int) def.thresholdOr(DEFAULT_AGENTS), within);
            if (together == null) {
                return;
            }
            t.pendingSince = t.completedAt(together, within);
        }
        // before every upstream task has reported there is no watermark, and nothing fires by time
        long low = watermarks.low();
        if (watermarks.known() && low - t.pendingSince >= def.forDuration().toMillis()) {
            fire(def, traceId, t, low);
        } else {
            pending.add(traceId);
        }
    }

    private void fire(RuleDefinition def, String traceId, TraceState t, long now) {
        long within = (long) def.param("within", DEFAULT_WITHIN.toMillis());
        List<String> together = t.failingTogether((int) def.thresholdOr(DEFAULT_AGENTS), within);
        if (together == null) {
            t.pendingSince = 0;
            return;
        }
        t.rootCause = t.rootCause(together);
        t.affected = String.join(",", together);
        if (t.alert == null) {
            t.alert = new AlertState();
        }
        Emit emit = AlertLifecycle.occurred(t.alert, t.pendingSince, def.repeatInterval());
        firing.add(traceId);
        pending.remove(traceId);
        long first = Long.MAX_VALUE;
        for (String agent : together) {
            first = Math.min(first, t.firstFailure(agent));
        }
        AlertContext ctx = context(def, traceId, t)
                .numbers(together.size(), def.thresholdOr(DEFAULT_AGENTS), Double.NaN)
                .window(first, t.pendingSince)
                .var("count", together.size());
        emitter.emit(def, t.alert, emit, true, now, ctx);
    }

    private static AlertContext context(RuleDefinition def, String traceId, TraceState t) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("trace_id", traceId)))
                .agent(t.rootCause, null)
                .trace(traceId)
                .rootCause(t.rootCause)
                .label("root_cause_agent_id", t.rootCause)
                .label("affected_agents", t.affected)
                .evidence(List.of(traceId))
                .var("root_cause", t.rootCause);
    }

    /** Fires, resolves and expires at {@code now}, the low watermark. */
    private void tick(long now) {
        for (String traceId : new ArrayList<>(pending)) {
            TraceState t = cache.get(traceId);
            if (t == null || t.pendingSince == 0 || t.hasActiveAlert()) {
                pending.remove(traceId);
                continue;
            }
            for (RuleDefinition rule : rules) {
                EffectiveRule eff = resolver.resolveForAll(rule);
                if (eff.enabled() && now - t.pendingSince >= eff.definition().forDuration().toMillis()) {
                    cache.markDirty(traceId);
                    fire(eff.definition(), traceId, t, now);
                }
            }
        }
        for (String traceId : new ArrayList<>(firing)) {
            TraceState t = cache.get(traceId);
            if (t == null || !t.hasActiveAlert()) {
                firing.remove(traceId);
                continue;
            }
            for (RuleDefinition rule : rules) {
                EffectiveRule eff = resolver.resolveForAll(rule);
                Emit emit = eff.enabled() ? AlertLifecycle.expire(t.alert, now, eff.definition().resolveAfter()) : AlertLifecycle.end(t.alert);
                if (emit != Emit.NOTHING) {
                    cache.markDirty(traceId);
                    emitter.emit(eff.definition(), t.alert, emit, false, now, context(eff.definition(), traceId, t));
                    firing.remove(traceId);
                }
            }
        }
        sweep(now);
    }

    private void sweep(long now) {
        long idleTimeout = 0;
        for (RuleDefinition rule : rules) {
            idleTimeout = Math.max(idleTimeout, (long) resolver.resolveForAll(rule).definition().param("idle_timeout", DEFAULT_IDLE_TIMEOUT.toMillis()));
        }
        long timeout = idleTimeout == 0 ? DEFAULT_IDLE_TIMEOUT.toMillis() : idleTimeout;
        int budget = (int) Math.min(Integer.MAX_VALUE, SWEEP_BASE + 2 * persistedSinceTick);
        persistedSinceTick = 0;
        List<TraceState> states = new ArrayList<>();
        List<String> idle = sweeper.sweep(store, budget, (key, value) -> {
            TraceState live = cache.peek(key);
            long last = live != null ? live.lastSeen : TraceState.lastSeenOf(value);
            if (now - last <= timeout) {
                if (live == null) {
                    cold.visitedCold(key.hashCode());
                }
                return false;
            }
            states.add(live != null ? live : TraceState.decode(value));
            return true;
        });
        if (sweeper.completedPass()) {
            cold.passCompleted();
        }
        for (int i = 0; i < idle.size(); i++) {
            String traceId = idle.get(i);
            TraceState t = states.get(i);
            if (t != null && t.hasActiveAlert() && !rules.isEmpty()) {
                RuleDefinition def = resolver.resolveForAll(rules.get(0)).definition();
                emitter.emit(def, t.alert, AlertLifecycle.end(t.alert), false, now, context(def, traceId, t));
            }
            cache.remove(traceId);
            pending.remove(traceId);
            firing.remove(traceId);
            expired++;
        }
        metrics.stateExpired(StoreNames.TRACE_LINEAGE, expired);
        expired = 0;
    }

    private TraceState load(String traceId) {
        byte[] bytes = store.get(traceId);
        return bytes == null ? null : TraceState.decode(bytes);
    }

    /** Writes traces with a failure; traces that never failed stay in the live cache only (see the class comment). */
    private void write(String traceId, TraceState t) {
        if (t == null) {
            writes.put(traceId, null); // a delete without reading the old value
            return;
        }
        if (t.failures == 0) {
            return;
        }
        if (!t.persisted) {
            t.persisted = true;
            persistedSinceTick++;
        }
        buffer.reset();
        t.encode(buffer);
        writes.put(traceId, buffer.toByteArray());
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.clear();
        }
    }

    /** The stored lineage of a trace for the query endpoints. */
    static Map<String, Object> describe(byte[] bytes) {
        return TraceState.decode(bytes).describe();
    }

    static long lastSeenOf(byte[] bytes) {
        return new ByteReader(bytes).varLong();
    }
}
