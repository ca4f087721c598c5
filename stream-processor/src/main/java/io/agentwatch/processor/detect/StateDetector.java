package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.state.CommitHookStore;
import io.agentwatch.processor.state.LiveCache;
import io.agentwatch.processor.state.WriteBatch;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.serde.ByteSink;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the stateful detectors share (the pattern of {@link AgentRulesProcessor}): live state objects in a bounded
 * {@link LiveCache}, written to the detector's own logged store only right before each commit (through the
 * {@link CommitHookStore} of the node that hosts the detector), never re-encoded per event; rules of the detector's
 * kind resolved per agent through the {@link RuleResolver}; an event-time tick for housekeeping.
 *
 * <p>The hot path is {@link #live}: one hash lookup on a hit (the key may be a reused probe), the store on a miss.
 *
 * @param <K> the live key (an agent id, or a {@link SessionKey})
 * @param <S> the live state
 */
abstract class StateDetector<K, S> implements Processor<String, AgentEvent, String, Alert> {
    protected final List<RuleDefinition> rules;
    protected final List<String> ruleIds;
    protected final DetectorSettings settings;
    protected final RuleResolver resolver;
    protected final ProcessorMetrics metrics;
    private final String storeName;
    private final String hookName;
    private final int capacity;
    private final ByteSink buffer = new ByteSink(256);

    protected ProcessorContext<String, Alert> context;
    protected KeyValueStore<String, byte[]> store;
    protected LiveCache<K, S> cache;
    private WriteBatch<String> writes;
    protected AlertEmitter emitter;
    /** States created (not found in the store) since the last tick. */
    protected long created;

    private final boolean lru;
    private final AgentRuleCache agentRules;

    StateDetector(RuleSet rules, RuleKind kind, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics,
                  String storeName, String hookName, int capacity) {
        this(rules, kind, settings, resolver, metrics, storeName, hookName, capacity, true);
    }

    /** @param lru evict the least recently used live state (else the least recently created: cheaper hits) */
    StateDetector(RuleSet rules, RuleKind kind, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics,
                  String storeName, String hookName, int capacity, boolean lru) {
        this.rules = rules.ofKind(kind);
        this.ruleIds = this.rules.stream().map(RuleDefinition::id).toList();
        this.settings = settings;
        this.resolver = resolver;
        this.metrics = metrics;
        this.storeName = storeName;
        this.hookName = hookName;
        this.capacity = capacity;
        this.lru = lru;
        this.agentRules = new AgentRuleCache(this.rules, resolver);
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.writes = new WriteBatch<>(store);
        KeyValueStore<String, AlertRule> overrides = context.getStateStore(StoreNames.RULE_OVERRIDES);
        resolver.bind(overrides);
        this.cache = new LiveCache<>(capacity, this::load, this::write, lru);
        CommitHookStore hook = context.getStateStore(hookName);
        hook.register(() -> writes.flush(cache::flush));
        KeyValueStore<String, byte[]> causes = context.getStateStore(StoreNames.CASCADE_CAUSES);
        this.emitter = new AlertEmitter(context, metrics, new CascadeCauses(causes));
        context.schedule(settings.tick(), PunctuationType.STREAM_TIME, TickAlignment.aligned(settings.tick(), this::tick));
        if (scansOnInit()) {
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    restored(kv.key, kv.value);
                }
            }
        }
    }

    /**
     * Whether {@link #init} reads the whole store (per-agent detectors, whose stores are bounded by the agents, do:
     * to find their firing alerts again after a restart; session detectors do not).
     */
    protected boolean scansOnInit() {
        return false;
    }

    /** One stored entry read by the scan on init. */
    protected void restored(String storeKey, byte[] bytes) {
    }

    /** Whether this detector has rules at all; without, it does nothing per event. */
    protected final boolean idle() {
        return rules.isEmpty();
    }

    /** The live state of a key, marked dirty: loaded from the store, or created, on a miss. */
    protected final S live(K probe, long ts) {
        S s = cache.peekDirty(probe);
        if (s != null) {
            return s;
        }
        K key = keep(probe);
        s = mayBeStored(key, ts) ? cache.get(key) : null;
        if (s == null) {
            s = create(key, ts);
            created++;
            cache.put(key, s);
        } else {
            cache.markDirty(key);
        }
        return s;
    }

    /**
     * Whether a key that is not live may be in the store; false saves the store read that would find nothing (the
     * common case of a new session). True unless a detector knows better.
     */
    protected boolean mayBeStored(K key, long ts) {
        return true;
    }

    /** The detector's rules as they apply to an agent, in the order of {@link #rules}: one lookup per event. */
    protected final EffectiveRule[] rulesFor(String agentId) {
        return agentRules.of(agentId);
    }

    /** A key safe to keep in the cache (a copy of a reused probe). */
    protected abstract K keep(K probe);

    protected abstract String storeKey(K key);

    protected abstract S create(K key, long ts);

    protected abstract S decode(K key, byte[] bytes);

    protected abstract void encode(S state, ByteSink out);

    /** The event-time tick: housekeeping (resolutions, expiry) and flushing counters to the metrics. */
    protected abstract void tick(long now);

    private S load(K key) {
        byte[] bytes = store.get(storeKey(key));
        return bytes == null ? null : decode(key, bytes);
    }

    private void write(K key, S state) {
        if (state == null) {
            writes.put(storeKey(key), null); // a delete that does not read the old value first, as delete() does
            return;
        }
        buffer.reset();
        encode(state, buffer);
        writes.put(storeKey(key), buffer.toByteArray());
    }

    @Override
    public void close() {
        // on a clean close the commit before it has flushed; on a dirty one the changelog is the truth
        if (cache != null) {
            cache.clear();
        }
    }
}
