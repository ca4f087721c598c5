package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.state.ColdKeys;
import io.agentwatch.processor.state.StoreSweeper;
import io.agentwatch.schema.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A detector with per-session state on the agent's partition (sessions are not re-keyed: the state of session S
 * of agent A lives in A's task, keyed by S and A; a session several agents take part in is counted per agent).
 *
 * <p>Idle sessions are expired so that the store stays bounded however many sessions pass through: on every
 * event-time tick an incremental {@link StoreSweeper} visits a bounded number of stored sessions (a constant plus
 * twice the sessions created since the last tick, so the sweep keeps pace with creation and costs O(1) amortized
 * per session), and deletes those idle for longer than the rule's {@code idle_timeout} in event time (stream time
 * minus the session's last event), resolving any alert still firing for them. Memory is the bounded live cache;
 * the store holds the sessions alive within the idle timeout plus at most one sweep pass of expired ones. Expiring
 * a session costs no store read (the sweep has its bytes) and its delete no read of the old value; a new session
 * costs no store read either, unless it may be one of the sessions stored but not live ({@link ColdKeys}).
 */
abstract class SessionStateDetector<S extends SessionStateDetector.SessionState> extends StateDetector<SessionKey, S> {
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    private static final int SWEEP_BASE = 100;

    /** What the sweep needs to know of a session's state. */
    abstract static class SessionState {
        long lastSeen;

        abstract boolean hasActiveAlert();
    }

    private final StoreSweeper sweeper = new StoreSweeper();
    private final String expiredMetric;
    protected final SessionKey probe = new SessionKey();
    private long expired;
    /** Sessions that may be stored but not live: a miss outside it is a new session, and needs no store read. */
    private final ColdKeys cold = new ColdKeys(20);

    SessionStateDetector(RuleSet rules, RuleKind kind, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics,
                         String storeName, String hookName) {
        super(rules, kind, settings, resolver, metrics, storeName, hookName, settings.liveSessions(), false);
        this.expiredMetric = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        super.init(context);
        cache.onEviction((key, state) -> cold.evicted(key.hashCode()));
    }

    @Override
    protected final boolean mayBeStored(SessionKey key, long ts) {
        return cold.mayContain(key.hashCode());
    }

    @Override
    protected final SessionKey keep(SessionKey probe) {
        return probe.copy();
    }

    @Override
    protected final String storeKey(SessionKey key) {
        return key.storeKey();
    }

    /** Reads the last-seen time of a stored state without decoding the rest. */
    protected abstract long lastSeenOf(byte[] bytes);

    /** The session is expiring: resolve what is still firing for it. */
    protected abstract void expiring(SessionKey key, S state, long now);

    /** Housekeeping besides expiry, on the same tick. */
    protected void housekeeping(long now) {
    }

    @Override
    protected final void tick(long now) {
        housekeeping(now);
        int budget = (int) Math.min(Integer.MAX_VALUE, SWEEP_BASE + 2 * created);
        created = 0;
        List<SessionKey> idleKeys = new ArrayList<>();
        List<S> idleWithAlerts = new ArrayList<>();
        sweeper.sweep(store, budget, (key, value) -> {
            SessionKey k = SessionKey.fromStoreKey(key);
            S live = cache.peek(k);
            long last = live != null ? live.lastSeen : lastSeenOf(value);
            if (now - last <= idleTimeout(k.agentId())) {
                if (live == null) {
                    cold.visitedCold(k.hashCode());
                }
                return false;
            }
            S state = live != null ? live : decode(k, value);
            idleKeys.add(k);
            idleWithAlerts.add(state.hasActiveAlert() ? state : null);
            return true;
        });
        for (int i = 0; i < idleKeys.size(); i++) {
            SessionKey k = idleKeys.get(i);
            if (idleWithAlerts.get(i) != null) {
                expiring(k, idleWithAlerts.get(i), now);
            }
            cache.remove(k);
            expired++;
        }
        if (sweeper.completedPass()) {
            cold.passCompleted();
        }
        metrics.stateExpired(expiredMetric, expired);
        expired = 0;
    }

    /** The longest idle timeout of the detector's rules for this agent. */
    protected final long idleTimeout(String agentId) {
        double longest = 0;
        for (EffectiveRule rule : rulesFor(agentId)) {
            longest = Math.max(longest, rule.definition().param("idle_timeout", DEFAULT_IDLE_TIMEOUT.toMillis()));
        }
        return (long) longest;
    }
}
