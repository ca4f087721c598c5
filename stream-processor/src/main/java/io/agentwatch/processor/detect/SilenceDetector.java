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
import io.agentwatch.schema.serde.ByteSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * AgentSilent (rules of kind {@code silence}): an agent that stops sending events. Per agent: when it was last
 * heard of and its typical gap between events (an EWMA of the gaps, each clipped to {@code params.max_gap}). An
 * agent is silent when nothing has come from it for longer than its limit,
 * {@code clamp(threshold x typical gap, params.min_gap, params.max_gap)} (defaults 2x, 30s, 15m; the maximum until
 * {@code params.warmup} gaps are learned), measured two ways, both of which must agree:
 * <ul>
 *   <li>wall clock: since its last event was <em>processed</em> (after a restart: since the restart), so that a
 *       processor catching up on a backlog does not call everyone silent;</li>
 *   <li>event time: since its last event's timestamp, against the task's stream time advanced by the wall-clock
 *       time since the task last received any record (so that an agent is reported even when every agent of its
 *       partition fell silent and stream time stopped).</li>
 * </ul>
 * Checked on a wall-clock punctuation, so it fires with no input at all; resolves on the agent's next event.
 * Agents retired by config (an override of the rule for that agent with {@code enabled: false}) are not reported;
 * agents silent for {@code params.forget_after} (default 1d) are forgotten (state deleted, alert resolved). Every
 * agent of the task is kept live (a few dozen bytes each) so the check can see them all; the store
 * ({@code agent-silence-store}) is read once at start.
 */
public final class SilenceDetector extends StateDetector<String, Silence> {
    private static final double DEFAULT_FACTOR = 2;
    private static final Duration DEFAULT_MIN_GAP = Duration.ofSeconds(30);
    private static final Duration DEFAULT_MAX_GAP = Duration.ofMinutes(15);
    private static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(1);
    private static final int DEFAULT_WARMUP = 20;
    private static final double ALPHA = 0.05;

    /** Wall clock when the task last received a record. */
    private long lastRecordWall;
    private long forgotten;
    private final AgentRuleCache gaps;

    public SilenceDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        super(rules, RuleKind.SILENCE, settings, resolver, metrics, StoreNames.AGENT_SILENCE, StoreNames.AGENT_DETECTORS_HOOK,
                Integer.MAX_VALUE, false);
        this.gaps = new AgentRuleCache(this.rules, resolver, "max_gap");
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        lastRecordWall = context.currentSystemTimeMs();
        super.init(context);
        context.schedule(settings.wallClockTick(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (idle()) {
            return;
        }
        AgentEvent e = record.value();
        long ts = record.timestamp();
        long wall = context.currentSystemTimeMs();
        lastRecordWall = wall;
        String agentId = e.getAgentId();
        Silence s = live(agentId, ts);
        s.lastWall = wall;
        if (ts > s.lastEvent) {
            if (s.lastEvent > 0) {
                double maxGap = gaps.rulesOf(agentId).params[0][0];
                if (Double.isNaN(maxGap)) {
                    maxGap = DEFAULT_MAX_GAP.toMillis();
                }
                double gap = Math.min(ts - s.lastEvent, maxGap);
                s.gapEwma = s.gaps == 0 ? gap : s.gapEwma + ALPHA * (gap - s.gapEwma);
                s.gaps++;
            }
            s.lastEvent = ts;
        }
        if (s.alerts != null) {
            for (int i = 0; i < rules.size(); i++) {
                AlertState state = s.alerts[i];
                if (state != null && state.isActive()) {
                    RuleDefinition def = resolver.resolve(rules.get(i), agentId).definition();
                    emitter.emit(def, state, AlertLifecycle.end(state), false, ts, context(def, s, agentId));
                }
            }
        }
        if (s.tenant == null) {
            s.tenant = e.getTenant();
            s.workflow = e.getWorkflow();
        }
    }

    /** The wall-clock check: which agents are silent now. */
    private void check(long wallNow) {
        if (idle()) {
            return;
        }
        long eventNow = context.currentStreamTimeMs() + Math.max(0, wallNow - lastRecordWall);
        List<String> forget = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Iterator<Map.Entry<String, Silence>> it = cache.liveEntries(); it.hasNext(); ) {
            Map.Entry<String, Silence> entry = it.next();
            String agentId = entry.getKey();
            Silence s = entry.getValue();
            for (int i = 0; i < rules.size(); i++) {
                EffectiveRule eff = resolver.resolve(rules.get(i), agentId);
                RuleDefinition def = eff.definition();
                AlertState state = s.alerts == null ? null : s.alerts[i];
                if (!eff.enabled()) {
                    if (state != null && state.isActive()) {
                        emitter.emit(def, state, AlertLifecycle.end(state), false, eventNow, context(def, s, agentId));
                        changed.add(agentId);
                    }
                    continue;
                }
                if (eventNow - s.lastEvent > def.param("forget_after", DEFAULT_FORGET_AFTER.toMillis())) {
                    forget.add(agentId);
                    break;
                }
                long limit = limit(def, s);
                boolean silent = wallNow - s.lastWall > limit && eventNow - s.lastEvent > limit;
                if (!silent) {
                    continue;
                }
                state = s.alert(i, rules.size());
                boolean wasFiring = state.phase() == AlertState.Phase.FIRING;
                Emit emit = wasFiring ? AlertLifecycle.occurred(state, eventNow, def.repeatInterval())
                        : AlertLifecycle.occurred(state, s.lastEvent + limit, def.repeatInterval());
                changed.add(agentId);
                if (emit != Emit.NOTHING) {
                    AlertContext ctx = context(def, s, agentId)
                            .numbers(eventNow - s.lastEvent, limit, s.gaps == 0 ? Double.NaN : s.gapEwma)
                            .var("silent_for", eventNow - s.lastEvent)
                            .var("limit", limit);
                    emitter.emit(def, state, emit, !wasFiring, eventNow, ctx);
                }
            }
        }
        // marking dirty reorders the cache: not while iterating it
        for (String agentId : changed) {
            cache.markDirty(agentId);
        }
        for (String agentId : forget) {
            Silence s = cache.peek(agentId);
            for (int i = 0; s.alerts != null && i < rules.size(); i++) {
                AlertState state = s.alerts[i];
                if (state != null && state.isActive()) {
                    RuleDefinition def = resolver.resolve(rules.get(i), agentId).definition();
                    emitter.emit(def, state, AlertLifecycle.end(state), false, eventNow, context(def, s, agentId));
                }
            }
            cache.remove(agentId);
            forgotten++;
        }
    }

    /** How long the agent may stay quiet: the learned gap times the factor, within [min_gap, max_gap]. */
    static long limit(RuleDefinition def, Silence s) {
        double min = def.param("min_gap", DEFAULT_MIN_GAP.toMillis());
        double max = def.param("max_gap", DEFAULT_MAX_GAP.toMillis());
        double learned = s.gaps >= def.param("warmup", DEFAULT_WARMUP) ? def.thresholdOr(DEFAULT_FACTOR) * s.gapEwma : max;
        return (long) Math.max(min, Math.min(max, learned));
    }

    private static AlertContext context(RuleDefinition def, Silence s, String agentId) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId)))
                .agent(agentId, s.tenant)
                .label("workflow", s.workflow);
    }

    @Override
    protected void tick(long now) {
        metrics.stateExpired(StoreNames.AGENT_SILENCE, forgotten);
        forgotten = 0;
    }

    @Override
    protected boolean scansOnInit() {
        return true;
    }

    @Override
    protected void restored(String agentId, byte[] bytes) {
        cache.put(agentId, Silence.decode(bytes, ruleIds, context.currentSystemTimeMs()));
    }

    @Override
    protected String keep(String probe) {
        return probe;
    }

    @Override
    protected String storeKey(String key) {
        return key;
    }

    @Override
    protected Silence create(String key, long ts) {
        return new Silence();
    }

    @Override
    protected Silence decode(String key, byte[] bytes) {
        // every stored agent is loaded on init; a miss is a new agent
        return null;
    }

    @Override
    protected void encode(Silence state, ByteSink out) {
        state.encode(out, ruleIds);
    }

    /** The stored silence state of an agent for the query endpoints. */
    static Map<String, Object> describe(byte[] bytes, List<String> ruleIds) {
        return Silence.decode(bytes, ruleIds, 0).describe(ruleIds);
    }
}
