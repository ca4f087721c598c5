package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertLifecycle;
import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.alerts.Fingerprint;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.serde.ByteSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Record;

/**
 * AgentLoopDetected (rules of kind {@code loop}): an agent stuck in a loop within one session, in three shapes,
 * each on the event that shows it:
 * <ul>
 *   <li><b>same call</b>: the same tool with the same {@code tool_args_hash} {@code threshold} times (default 3)
 *       among the session's last {@value LoopState#HISTORY} tool calls; the same tool with other arguments is not a
 *       loop;</li>
 *   <li><b>retries</b>: a step with {@code retry_count} above {@code params.max_retries} (default 3);</li>
 *   <li><b>cycle</b>: the last calls repeat a sequence of 2 to {@code params.ngram_max} (default 3) different tools
 *       {@code params.ngram_repeats} times (default 3) back to back: A,B,A,B,A,B or A,B,C,A,B,C,A,B,C (tools only:
 *       a cycle may vary its arguments).</li>
 * </ul>
 * Fires at once (TERMINATE_SESSION by default), resolves after {@code resolve_after} without a new loop step or
 * when the session expires ({@code params.idle_timeout} without a tool call, default 15m). Per-session memory is
 * bounded: the last {@value LoopState#HISTORY} calls as hashes. State: {@code session-loops-store}.
 */
public final class LoopDetector extends SessionStateDetector<LoopState> {
    private static final int DEFAULT_SAME_CALLS = 3;
    private static final int DEFAULT_MAX_RETRIES = 3;
    private static final int DEFAULT_NGRAM_MAX = 3;
    private static final int DEFAULT_NGRAM_REPEATS = 3;

    /** Sessions with a firing loop alert, for timely resolution; bounded by the firing alerts. */
    private final Set<SessionKey> firing = new HashSet<>();

    public LoopDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        super(rules, RuleKind.LOOP, settings, resolver, metrics, StoreNames.SESSION_LOOPS, StoreNames.AGENT_DETECTORS_HOOK);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (idle()) {
            return;
        }
        AgentEvent e = record.value();
        String sessionId = e.getSessionId();
        String tool = e.getToolName();
        Integer retry = e.getRetryCount();
        int retries = retry == null ? 0 : retry;
        if (sessionId == null || (tool == null && retries == 0)) {
            return;
        }
        String agentId = e.getAgentId();
        long ts = record.timestamp();
        if (tool == null) {
            retriesWithoutTool(e, agentId, sessionId, retries, ts);
            return;
        }
        LoopState s = live(probe.set(sessionId, agentId), ts);
        s.lastSeen = Math.max(s.lastSeen, ts);
        String args = e.getToolArgsHash();
        long call = LoopState.pack(tool.hashCode(), args == null ? LoopState.NO_ARGS : args.hashCode());
        int same = args == null ? 0 : s.countSame(call) + 1;
        s.add(call);
        EffectiveRule[] effective = rulesFor(agentId);
        for (int i = 0; i < effective.length; i++) {
            EffectiveRule eff = effective[i];
            if (!eff.enabled()) {
                continue;
            }
            RuleDefinition def = eff.definition();
            double value;
            double threshold;
            String kind;
            String description;
            int sameLimit = (int) def.thresholdOr(DEFAULT_SAME_CALLS);
            int maxRetries = (int) def.param("max_retries", DEFAULT_MAX_RETRIES);
            int cycle;
            if (args != null && same >= sameLimit) {
                value = same;
                threshold = sameLimit;
                kind = "same_call";
                description = tool + " called " + same + " times with the same arguments";
            } else if (retries > maxRetries) {
                value = retries;
                threshold = maxRetries;
                kind = "retries";
                description = "a call of " + tool + " retried " + retries + " times";
            } else if ((cycle = s.cycle((int) def.param("ngram_max", DEFAULT_NGRAM_MAX), (int) def.param("ngram_repeats", DEFAULT_NGRAM_REPEATS))) > 0) {
                int repeats = (int) def.param("ngram_repeats", DEFAULT_NGRAM_REPEATS);
                value = repeats;
                threshold = repeats;
                kind = "cycle";
                description = "the same " + cycle + "-tool sequence repeated " + repeats + " times, ending with " + tool;
            } else {
                continue;
            }
            occurred(i, def, s, e, agentId, sessionId, ts, value, threshold, kind, tool, description);
        }
    }

    private void retriesWithoutTool(AgentEvent e, String agentId, String sessionId, int retries, long ts) {
        EffectiveRule[] effective = rulesFor(agentId);
        for (int i = 0; i < effective.length; i++) {
            EffectiveRule eff = effective[i];
            int maxRetries = (int) eff.definition().param("max_retries", DEFAULT_MAX_RETRIES);
            if (eff.enabled() && retries > maxRetries) {
                LoopState s = live(probe.set(sessionId, agentId), ts);
                s.lastSeen = Math.max(s.lastSeen, ts);
                String step = e.getOperation().name();
                occurred(i, eff.definition(), s, e, agentId, sessionId, ts, retries, maxRetries, "retries", null,
                        "a " + step + " step retried " + retries + " times");
            }
        }
    }

    private void occurred(int index, RuleDefinition def, LoopState s, AgentEvent e, String agentId, String sessionId, long ts,
                          double value, double threshold, String kind, String tool, String description) {
        AlertState state = s.alert(index, rules.size());
        boolean wasFiring = state.phase() == AlertState.Phase.FIRING;
        if (!wasFiring) {
            s.tenant = e.getTenant();
            s.workflow = e.getWorkflow();
            s.loopTool = tool;
            s.loopKind = kind;
        }
        Emit emit = AlertLifecycle.occurred(state, ts, def.repeatInterval());
        firing.add(probe.copy());
        if (emit != Emit.NOTHING) {
            AlertContext ctx = context(def, s, agentId, sessionId)
                    .numbers(value, threshold, Double.NaN)
                    .evidence(e.getTraceId() == null ? List.of() : List.of(e.getTraceId()))
                    .var("loop", description);
            emitter.emit(def, state, emit, !wasFiring, ts, ctx);
        }
    }

    private static AlertContext context(RuleDefinition def, LoopState s, String agentId, String sessionId) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "session_id", sessionId)))
                .agent(agentId, s.tenant)
                .session(sessionId)
                .label("workflow", s.workflow)
                .label("tool_name", s.loopTool)
                .label("loop_kind", s.loopKind)
                .var("loop", s.loopKind);
    }

    @Override
    protected void housekeeping(long now) {
        if (firing.isEmpty()) {
            return;
        }
        for (SessionKey key : new ArrayList<>(firing)) {
            LoopState s = cache.get(key);
            boolean stillFiring = false;
            for (int i = 0; s != null && i < rules.size(); i++) {
                AlertState state = s.alerts == null ? null : s.alerts[i];
                if (state == null || !state.isActive()) {
                    continue;
                }
                EffectiveRule eff = resolver.resolve(rules.get(i), key.agentId());
                Emit emit = eff.enabled() ? AlertLifecycle.expire(state, now, eff.definition().resolveAfter()) : AlertLifecycle.end(state);
                if (emit != Emit.NOTHING) {
                    cache.markDirty(key);
                    emitter.emit(eff.definition(), state, emit, false, now, context(eff.definition(), s, key.agentId(), key.sessionId()));
                }
                stillFiring |= state.isActive();
            }
            if (!stillFiring) {
                firing.remove(key);
            }
        }
    }

    @Override
    protected void expiring(SessionKey key, LoopState s, long now) {
        for (int i = 0; i < rules.size(); i++) {
            AlertState state = s.alerts == null ? null : s.alerts[i];
            if (state != null && state.isActive()) {
                RuleDefinition def = resolver.resolve(rules.get(i), key.agentId()).definition();
                emitter.emit(def, state, AlertLifecycle.end(state), false, now, context(def, s, key.agentId(), key.sessionId()));
            }
        }
        firing.remove(key);
    }

    @Override
    protected long lastSeenOf(byte[] bytes) {
        return LoopState.lastSeenOf(bytes);
    }

    @Override
    protected LoopState create(SessionKey key, long ts) {
        return new LoopState(ts);
    }

    @Override
    protected LoopState decode(SessionKey key, byte[] bytes) {
        return LoopState.decode(bytes, ruleIds);
    }

    @Override
    protected void encode(LoopState state, ByteSink out) {
        state.encode(out, ruleIds);
    }

    /** The stored state of a session for the query endpoints. */
    static Map<String, Object> describe(byte[] bytes, List<String> ruleIds) {
        return LoopState.decode(bytes, ruleIds).describe(ruleIds);
    }
}
