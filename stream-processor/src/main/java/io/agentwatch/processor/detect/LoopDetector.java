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
import io.agentwatch.schema.Alert;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * AgentLoopDetected (rules of kind {@code loop}): an agent stuck in a loop within one session, in three shapes,
 * each on the event that shows it:
 * <ul>
 *   <li><b>same call</b>: the same tool with the same {@code tool_args_hash} {@code threshold} times (default 3)
 *       among the session's last {@value LoopState#HISTORY} tool calls; the same tool with other arguments is not a
 *       loop;</li>
 *   <li><b>retries</b>: a step with {@code retry_count} above {@code params.max_retries} (default 3);</li>
 *   <li><b>cycle</b>: the last calls repeat a sequence of 2 to {@code params.ngram_max} (default 3) different tools
 *       {@code params.ngram_repeats} times (default 4) back to back: A,B,A,B,A,B,A,B or A,B,C four times (tools only:
 *       a cycle may vary its arguments; with 3, healthy agents that alternate two tools hit it by chance).</li>
 * </ul>
 * Fires at once (TERMINATE_SESSION by default), resolves after {@code resolve_after} without a new loop step or
 * when the session expires ({@code params.idle_timeout} idle, default 15m). Per-session memory is bounded: the last
 * {@value LoopState#HISTORY} calls as hashes. State: the loop section of the session's record in
 * {@code sessions-store} (see {@link SessionStates}, which it shares with {@link SessionBudgetDetector}).
 */
public final class LoopDetector implements Processor<String, AgentEvent, String, Alert>, SessionStates.Expiry {
    private static final int DEFAULT_SAME_CALLS = 3;
    private static final int DEFAULT_MAX_RETRIES = 3;
    private static final int DEFAULT_NGRAM_MAX = 3;
    private static final int DEFAULT_NGRAM_REPEATS = 4;

    private final List<RuleDefinition> rules;
    private final DetectorSettings settings;
    private final RuleResolver resolver;
    private final ProcessorMetrics metrics;
    private final SessionStates sessions;
    private final AgentRuleCache agentRules;
    /** Sessions with a firing loop alert, for timely resolution; bounded by the firing alerts. */
    private final Set<SessionKey> firing = new HashSet<>();
    private AlertEmitter emitter;

    /** Standalone: with session state of its own. */
    public LoopDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        this(rules, settings, resolver, metrics, new SessionStates(rules, settings, resolver, metrics));
    }

    LoopDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics, SessionStates sessions) {
        this.rules = rules.ofKind(RuleKind.LOOP);
        this.settings = settings;
        this.resolver = resolver;
        this.metrics = metrics;
        this.sessions = sessions;
        this.agentRules = new AgentRuleCache(this.rules, resolver, "threshold", "max_retries", "ngram_max", "ngram_repeats");
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        resolver.bind(context.getStateStore(StoreNames.RULE_OVERRIDES));
        KeyValueStore<String, byte[]> causes = context.getStateStore(StoreNames.CASCADE_CAUSES);
        emitter = new AlertEmitter(context, metrics, new CascadeCauses(causes));
        sessions.init(context, this);
        context.schedule(settings.tick(), PunctuationType.STREAM_TIME, TickAlignment.aligned(settings.tick(), this::resolveQuietLoops));
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (rules.isEmpty()) {
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
        AgentRuleCache.AgentRules agent = agentRules.rulesOf(agentId);
        EffectiveRule[] effective = agent.rules;
        if (tool == null) {
            retriesWithoutTool(effective, e, agentId, sessionId, retries, ts);
            return;
        }
        SessionState s = sessions.live(sessionId, agentId, ts);
        LoopState loop = s.loop;
        if (loop == null) {
            loop = new LoopState();
            s.loop = loop;
        }
        String args = e.getToolArgsHash();
        long call = LoopState.pack(tool.hashCode(), args == null ? LoopState.NO_ARGS : args.hashCode());
        int same = args == null ? 0 : loop.countSame(call) + 1;
        loop.add(call);
        for (int i = 0; i < effective.length; i++) {
            EffectiveRule eff = effective[i];
            if (!eff.enabled()) {
                continue;
            }
            RuleDefinition def = eff.definition();
            double[] p = agent.params[i];
            int sameLimit = Double.isNaN(p[0]) ? DEFAULT_SAME_CALLS : (int) p[0];
            int maxRetries = Double.isNaN(p[1]) ? DEFAULT_MAX_RETRIES : (int) p[1];
            int ngramMax = Double.isNaN(p[2]) ? DEFAULT_NGRAM_MAX : (int) p[2];
            int repeats = Double.isNaN(p[3]) ? DEFAULT_NGRAM_REPEATS : (int) p[3];
            int cycle;
            if (args != null && same >= sameLimit) {
                occurred(i, def, s, e, agentId, sessionId, ts, same, sameLimit, "same_call", tool,
                        tool + " called " + same + " times with the same arguments");
            } else if (retries > maxRetries) {
                occurred(i, def, s, e, agentId, sessionId, ts, retries, maxRetries, "retries", tool,
                        "a call of " + tool + " retried " + retries + " times");
            } else if ((cycle = loop.cycle(ngramMax, repeats)) > 0) {
                occurred(i, def, s, e, agentId, sessionId, ts, repeats, repeats, "cycle", tool,
                        "the same " + cycle + "-tool sequence repeated " + repeats + " times, ending with " + tool);
            }
        }
    }

    private void retriesWithoutTool(EffectiveRule[] effective, AgentEvent e, String agentId, String sessionId, int retries, long ts) {
        for (int i = 0; i < effective.length; i++) {
            EffectiveRule eff = effective[i];
            int maxRetries = (int) eff.definition().param("max_retries", DEFAULT_MAX_RETRIES);
            if (eff.enabled() && retries > maxRetries) {
                SessionState s = sessions.live(sessionId, agentId, ts);
                if (s.loop == null) {
                    s.loop = new LoopState();
                }
                occurred(i, eff.definition(), s, e, agentId, sessionId, ts, retries, maxRetries, "retries", null,
                        "a " + e.getOperation().name() + " step retried " + retries + " times");
            }
        }
    }

    private void occurred(int index, RuleDefinition def, SessionState s, AgentEvent e, String agentId, String sessionId, long ts,
                          double value, double threshold, String kind, String tool, String description) {
        LoopState loop = s.loop;
        AlertState state = loop.alert(index, rules.size());
        boolean wasFiring = state.phase() == AlertState.Phase.FIRING;
        if (!wasFiring) {
            s.tenant = e.getTenant();
            s.workflow = e.getWorkflow();
            loop.loopTool = tool;
            loop.loopKind = kind;
        }
        Emit emit = AlertLifecycle.occurred(state, ts, def.repeatInterval());
        firing.add(new SessionKey().set(sessionId, agentId));
        if (emit != Emit.NOTHING) {
            AlertContext ctx = context(def, s, agentId, sessionId)
                    .numbers(value, threshold, Double.NaN)
                    .evidence(e.getTraceId() == null ? List.of() : List.of(e.getTraceId()))
                    .var("loop", description);
            emitter.emit(def, state, emit, !wasFiring, ts, ctx);
        }
    }

    private static AlertContext context(RuleDefinition def, SessionState s, String agentId, String sessionId) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "session_id", sessionId)))
                .agent(agentId, s.tenant)
                .session(sessionId)
                .label("workflow", s.workflow)
                .label("tool_name", s.loop.loopTool)
                .label("loop_kind", s.loop.loopKind)
                .var("loop", s.loop.loopKind);
    }

    /** Resolves loop alerts of sessions that have not looped for the rule's resolve_after. */
    private void resolveQuietLoops(long now) {
        if (firing.isEmpty()) {
            return;
        }
        for (SessionKey key : new ArrayList<>(firing)) {
            SessionState s = sessions.get(key);
            boolean stillFiring = false;
            for (int i = 0; s != null && s.loop != null && s.loop.alerts != null && i < rules.size(); i++) {
                AlertState state = s.loop.alerts[i];
                if (state == null || !state.isActive()) {
                    continue;
                }
                EffectiveRule eff = resolver.resolve(rules.get(i), key.agentId());
                Emit emit = eff.enabled() ? AlertLifecycle.expire(state, now, eff.definition().resolveAfter()) : AlertLifecycle.end(state);
                if (emit != Emit.NOTHING) {
                    sessions.markDirty(key);
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
    public void restored(SessionKey key, SessionState s) {
        for (int i = 0; s.loop != null && s.loop.alerts != null && i < s.loop.alerts.length; i++) {
            if (s.loop.alerts[i] != null && s.loop.alerts[i].isActive()) {
                firing.add(new SessionKey().set(key.sessionId(), key.agentId()));
                return;
            }
        }
    }

    @Override
    public void expiring(SessionKey key, SessionState s, long now) {
        for (int i = 0; s.loop != null && s.loop.alerts != null && i < rules.size(); i++) {
            AlertState state = s.loop.alerts[i];
            if (state != null && state.isActive()) {
                RuleDefinition def = resolver.resolve(rules.get(i), key.agentId()).definition();
                emitter.emit(def, state, AlertLifecycle.end(state), false, now, context(def, s, key.agentId(), key.sessionId()));
            }
        }
        firing.remove(key);
    }

    @Override
    public void close() {
        sessions.close();
    }
}
