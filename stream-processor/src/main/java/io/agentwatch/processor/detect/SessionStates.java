package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.state.ColdKeys;
import io.agentwatch.processor.state.CommitHookStore;
import io.agentwatch.processor.state.LiveCache;
import io.agentwatch.processor.state.StoreSweeper;
import io.agentwatch.processor.state.WriteBatch;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The session state of one task, shared by the session detectors ({@link SessionBudgetDetector},
 * {@link LoopDetector}): one {@link SessionState} per session and agent, live in a bounded cache, written to
 * {@code sessions-store} only right before each commit. One store for both detectors, because sessions are the
 * bulk of the state and each stored session costs changelog records (a write per commit in which it changed, a
 * tombstone when it expires): a store per detector doubled them.
 *
 * <p>Sessions are not re-keyed: the state of session S of agent A lives in A's task, keyed by S and A; a session
 * several agents take part in is counted per agent. Idle sessions are expired so that the store stays bounded
 * however many sessions pass through: on every event-time tick an incremental {@link StoreSweeper} visits a bounded
 * number of stored sessions (a constant plus twice the sessions created since the last tick, so the sweep keeps pace
 * with creation and costs O(1) amortized per session) and deletes those idle for longer than the longest
 * {@code idle_timeout} of the session rules (stream time minus the session's last token or tool call), after the
 * detectors have resolved what still fires for them. The store holds the sessions alive within the idle timeout
 * plus at most one sweep pass of expired ones; the heap holds the bounded cache. Expiring a session costs no store
 * read (the sweep has its bytes), nor does its delete, nor does a new session unless it may be one of the sessions
 * stored but not live ({@link ColdKeys}).
 */
final class SessionStates {
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    private static final int SWEEP_BASE = 100;

    /** A detector's part in expiry: resolve what fires for a session that is going away. */
    interface Expiry {
        /** @param now when the session went idle for good: its last event plus its idle timeout (the same in every run) */
        void expiring(SessionKey key, SessionState state, long now);

        /** A stored session with an active alert, seen once after the task (re)started, before its first tick. */
        default void restored(SessionKey key, SessionState state) {
        }
    }

    private final List<RuleDefinition> idleRules = new ArrayList<>();
    final List<String> budgetRules;
    final List<String> loopRules;
    private final DetectorSettings settings;
    private final RuleResolver resolver;
    private final ProcessorMetrics metrics;
    private final List<Expiry> expiries = new ArrayList<>();
    private boolean restoredScanned;
    private final StoreSweeper sweeper = new StoreSweeper();
    private final ColdKeys cold = new ColdKeys(20);
    private final SessionKey probe = new SessionKey();
    private final ByteSink buffer = new ByteSink(256);
    private final Map<String, Long> idleTimeouts = new HashMap<>();
    private long idleTimeoutsVersion = -1;

    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> store;
    private LiveCache<SessionKey, SessionState> cache;
    private WriteBatch<String> writes;
    private long created;
    private long expired;
    private String lastSessionId;
    private String lastAgentId;
    private SessionState lastState;

    SessionStates(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        this.idleRules.addAll(rules.ofKind(RuleKind.SESSION_BUDGET));
        this.idleRules.addAll(rules.ofKind(RuleKind.LOOP));
        this.budgetRules = rules.ofKind(RuleKind.SESSION_BUDGET).stream().map(RuleDefinition::id).toList();
        this.loopRules = rules.ofKind(RuleKind.LOOP).stream().map(RuleDefinition::id).toList();
        this.settings = settings;
        this.resolver = resolver;
        this.metrics = metrics;
    }

    /** Called by each detector that uses it, in its own init; the first call sets it up. */
    void init(ProcessorContext<String, Alert> context, Expiry expiry) {
        expiries.add(expiry);
        if (this.context != null) {
            return;
        }
        this.context = context;
        this.store = context.getStateStore(StoreNames.SESSIONS);
        this.writes = new WriteBatch<>(store);
        this.cache = new LiveCache<>(settings.liveSessions(), this::load, this::write, false);
        cache.onEviction((key, state) -> cold.evicted(key.hashCode()));
        CommitHookStore hook = context.getStateStore(StoreNames.AGENT_DETECTORS_HOOK);
        hook.register(() -> writes.flush(cache::flush));
        context.schedule(settings.tick(), PunctuationType.STREAM_TIME, TickAlignment.aligned(settings.tick(), this::tick));
    }

    /**
     * The live state of a session, marked dirty; created when it is new, and its last-seen time moved to {@code ts}.
     * Both detectors ask for the same session per event: the second ask costs no lookup.
     */
    SessionState live(String sessionId, String agentId, long ts) {
        SessionState s;
        if (sessionId == lastSessionId && agentId == lastAgentId && lastState != null) {
            s = lastState;
        } else {
            s = cache.peekDirty(probe.set(sessionId, agentId));
            if (s == null) {
                SessionKey key = probe.copy();
                s = cold.mayContain(key.hashCode()) ? cache.get(key) : null;
                if (s == null) {
                    s = new SessionState(ts);
                    created++;
                    cache.put(key, s);
                } else {
                    cache.markDirty(key);
                }
            }
            lastSessionId = sessionId;
            lastAgentId = agentId;
            lastState = s;
        }
        s.seen(ts);
        return s;
    }

    /** The live state of a session for housekeeping (loaded if it is stored), or null; marks nothing. */
    SessionState get(SessionKey key) {
        return cache.get(key);
    }

    void markDirty(SessionKey key) {
        cache.markDirty(key);
    }

    private void tick(long now) {
        if (!restoredScanned) {
            // which sessions have a firing alert lives only in the detectors' memory: after a restart or a task move
            // they learn it again from the store, or their alerts would wait for the session's expiry to resolve
            restoredScanned = true;
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    SessionKey k = SessionKey.fromStoreKey(kv.key);
                    SessionState live = cache.peek(k);
                    SessionState st = live != null ? live : SessionState.decode(kv.value, budgetRules, loopRules);
                    if (st.hasActiveAlert()) {
                        for (Expiry e : expiries) {
                            e.restored(k, st);
                        }
                    }
                }
            }
        }
        int budget = (int) Math.min(Integer.MAX_VALUE, SWEEP_BASE + 2 * created);
        created = 0;
        List<SessionKey> idleKeys = new ArrayList<>();
        List<SessionState> idleStates = new ArrayList<>();
        sweeper.sweep(store, budget, (key, value) -> {
            SessionKey k = SessionKey.fromStoreKey(key);
            SessionState live = cache.peek(k);
            long last = live != null ? live.lastSeen : SessionState.lastSeenOf(value);
            if (now - last <= idleTimeout(k.agentId())) {
                if (live == null) {
                    cold.visitedCold(k.hashCode());
                }
                return false;
            }
            idleKeys.add(k);
            idleStates.add(live != null ? live : SessionState.decode(value, budgetRules, loopRules));
            return true;
        });
        lastState = null;
        for (int i = 0; i < idleKeys.size(); i++) {
            SessionState s = idleStates.get(i);
            if (s.hasActiveAlert()) {
                long idleSince = Math.min(now, s.lastSeen + idleTimeout(idleKeys.get(i).agentId()));
                for (Expiry e : expiries) {
                    e.expiring(idleKeys.get(i), s, idleSince);
                }
            }
            cache.remove(idleKeys.get(i));
            expired++;
        }
        if (sweeper.completedPass()) {
            cold.passCompleted();
        }
        metrics.stateExpired(StoreNames.SESSIONS, expired);
        expired = 0;
    }

    /** The longest idle timeout of the session rules for this agent (overrides included). */
    private long idleTimeout(String agentId) {
        long version = resolver.version();
        if (version != idleTimeoutsVersion) {
            idleTimeouts.clear();
            idleTimeoutsVersion = version;
        }
        Long cached = idleTimeouts.get(agentId);
        if (cached != null) {
            return cached;
        }
        double longest = 0;
        for (RuleDefinition rule : idleRules) {
            longest = Math.max(longest, resolver.resolve(rule, agentId).definition().param("idle_timeout", DEFAULT_IDLE_TIMEOUT.toMillis()));
        }
        long timeout = idleRules.isEmpty() ? DEFAULT_IDLE_TIMEOUT.toMillis() : (long) longest;
        if (idleTimeouts.size() >= 100_000) {
            idleTimeouts.clear();
        }
        idleTimeouts.put(agentId, timeout);
        return timeout;
    }

    private SessionState load(SessionKey key) {
        byte[] bytes = store.get(key.storeKey());
        return bytes == null ? null : SessionState.decode(bytes, budgetRules, loopRules);
    }

    private void write(SessionKey key, SessionState state) {
        if (state == null) {
            writes.put(key.storeKey(), null);
            return;
        }
        buffer.reset();
        state.encode(buffer, budgetRules, loopRules);
        writes.put(key.storeKey(), buffer.toByteArray());
    }

    void close() {
        // on a clean close the commit before it has flushed; on a dirty one the changelog is the truth
        if (cache != null) {
            cache.clear();
            lastState = null;
        }
    }

    /** A stored session for the query endpoints. */
    static Map<String, Object> describe(byte[] bytes, List<String> budgetRules, List<String> loopRules) {
        return SessionState.decode(bytes, budgetRules, loopRules).describe(budgetRules, loopRules);
    }
}
