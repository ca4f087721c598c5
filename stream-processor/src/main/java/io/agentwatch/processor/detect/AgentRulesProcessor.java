package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertFactory;
import io.agentwatch.processor.alerts.AlertLifecycle;
import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.alerts.Fingerprint;
import io.agentwatch.processor.rules.BaselineMetric;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.AgentRules;
import io.agentwatch.processor.rules.OverridesVersion;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.Segmentation;
import io.agentwatch.processor.rules.WindowMetric;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.processor.state.CommitHookStore;
import io.agentwatch.processor.state.LiveCache;
import io.agentwatch.processor.state.WindowStorePanes;
import io.agentwatch.processor.stats.Contribution;
import io.agentwatch.processor.stats.Pane;
import io.agentwatch.processor.stats.WindowState;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.serde.ByteSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Evaluates the window rules and the event rules of the rules file for every agent (and segment) of its task.
 *
 * <p>Per event: the event is added to its scopes' sliding windows (one-minute panes and one aggregate per window
 * length: a few additions), the agent's exemplar traces are updated, and the event rules are tested against it,
 * firing at once when they match. Every {@code evaluation.interval} of event time: each scope that received events
 * since the last tick, or has an alert pending or firing, rolls its windows to the current stream time and has
 * its window rules evaluated; the alert lifecycle (pending for {@code for}, firing once, repeat, resolved) decides
 * what is emitted. Baselines learn from each sealed agent pane while no alert of the agent is active.
 *
 * <p>State: live objects in a bounded {@link LiveCache}, written to the logged stores ({@code agent-panes-store},
 * {@code agent-scopes-store}) only right before each commit, through {@link CommitHookStore}.
 */
public final class AgentRulesProcessor implements Processor<String, AgentEvent, String, Alert> {
    private final RuleSet rules;
    private final AgentRulesSettings settings;
    private final RuleResolver resolver;
    private final ProcessorMetrics metrics;
    private final List<RuleDefinition> windowRules;
    private final List<RuleDefinition> eventRules;
    private final List<Segmentation> segmentations;
    private final int[] windows;
    private final long paneMs;

    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, byte[]> scopes;
    private KeyValueStore<String, byte[]> evaluations;
    private WindowStorePanes panes;
    private CascadeCauses causes;
    private LiveCache<String, ScopeState> cache;
    /** Scopes with events added since their last evaluation. */
    private final Set<String> pending = new HashSet<>();
    /** Scopes with an alert pending or firing. */
    private final Set<String> active = new HashSet<>();
    private final List<String> toEvaluate = new ArrayList<>();
    private final long intervalMs;
    /** How far back a quiet scope's skipped evaluation points are caught up (a multiple of the interval). */
    private final long catchUpMs;
    private final Contribution contribution = new Contribution();
    private final ScopeBindings bindings = new ScopeBindings();
    private final ByteSink buffer = new ByteSink(512);
    private long loadTimestamp;
    private long processed;
    private long late;
    private boolean emitted;

    public AgentRulesProcessor(RuleSet rules, AgentRulesSettings settings, OverridesVersion overrides, ProcessorMetrics metrics) {
        this.rules = rules;
        this.settings = settings;
        this.metrics = metrics;
        this.windowRules = rules.ofKind(RuleKind.WINDOW);
        this.eventRules = rules.ofKind(RuleKind.EVENT);
        List<RuleDefinition> all = new ArrayList<>(windowRules);
        all.addAll(eventRules);
        // window rules are indexes 0..w-1 of the resolver, event rules w..w+e-1
        this.resolver = new RuleResolver(all, overrides, metrics);
        this.segmentations = new ArrayList<>(rules.segmentations());
        this.windows = settings.windowMinutes();
        this.paneMs = settings.paneMs();
        this.intervalMs = settings.evaluationInterval().toMillis();
        long longestWindow = settings.paneMs() * settings.windowMinutes()[settings.windowMinutes().length - 1];
        this.catchUpMs = Math.floorDiv(longestWindow + 2 * intervalMs + intervalMs - 1, intervalMs) * intervalMs;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.scopes = context.getStateStore(StoreNames.AGENT_SCOPES);
        this.evaluations = context.getStateStore(StoreNames.AGENT_EVALUATIONS);
        WindowStore<String, byte[]> paneStore = context.getStateStore(StoreNames.AGENT_PANES);
        this.panes = new WindowStorePanes(paneStore);
        KeyValueStore<String, AlertRule> overrides = context.getStateStore(StoreNames.RULE_OVERRIDES);
        resolver.bind(overrides);
        KeyValueStore<String, byte[]> causeStore = context.getStateStore(StoreNames.CASCADE_CAUSES);
        this.causes = new CascadeCauses(causeStore);
        this.cache = new LiveCache<>(settings.liveScopes(), this::load, this::write);
        CommitHookStore hook = context.getStateStore(StoreNames.AGENT_RULES_HOOK);
        hook.register(this::beforeCommit);
        rebuildActiveSet();
        rebuildPendingSet();
        context.schedule(settings.evaluationInterval(), PunctuationType.STREAM_TIME, this::evaluate);
    }

    private void rebuildActiveSet() {
        try (KeyValueIterator<String, byte[]> it = scopes.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                ScopeState s = ScopeState.forKey(kv.key);
                s.decodeRecord(new ByteReader(kv.value));
                if (s.hasActiveAlert()) {
                    active.add(kv.key);
                }
            }
        }
    }

    private void rebuildPendingSet() {
        try (KeyValueIterator<String, byte[]> it = evaluations.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                ByteReader in = new ByteReader(kv.value);
                in.varLong();
                if (in.varLong() == 1) {
                    pending.add(kv.key);
                }
            }
        }
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        AgentEvent event = record.value();
        long ts = record.timestamp();
        processed++;
        boolean inGrace = ts >= context.currentStreamTimeMs() - settings.grace().toMillis();
        boolean contributes = contribution.of(event);
        loadTimestamp = ts;
        ScopeState agent = cache.get(event.getAgentId());
        if (!event.getAgentId().equals(agent.agentId)) {
            throw new IllegalStateException("scope key mismatch for " + event.getAgentId());
        }
        noteLabels(agent, event);
        evaluateIfDue(agent, agent, ts);
        if (contributes) {
            addTo(agent, ts, inGrace, event);
            for (Segmentation seg : segmentations) {
                String value = seg.valueOf(event);
                if (value != null) {
                    String key = ScopeState.key(agent.agentId, seg.id(), value);
                    ScopeState scope = cache.get(key);
                    evaluateIfDue(scope, agent, ts);
                    addTo(scope, ts, inGrace, event);
                }
            }
        }
        if (!eventRules.isEmpty()) {
            evaluateEventRules(agent, event, ts);
        }
        if (emitted) {
            emitted = false;
            context.commit();
        }
    }

    /**
     * Evaluates a scope when its own event time reaches its next evaluation point, before the event that reached it
     * is added: the outcome depends only on this scope's events, not on how partitions interleave or when the
     * task's stream time moves, so a replay (backtest) evaluates every scope at the same points as the live run.
     */
    private void evaluateIfDue(ScopeState scope, ScopeState agent, long ts) {
        if (ts >= scope.nextEvaluation) {
            evaluateThrough(scope, agent, Math.floorDiv(ts, intervalMs) * intervalMs);
        }
    }

    /**
     * Evaluates the scope at every point from its next evaluation through {@code target}, not only at the last: which
     * path reaches a point first (the scope's own event, or the tick behind the watermark, whose moment depends on how
     * Kafka Streams batches records) must not change the points evaluated, or a {@code for} would count from another
     * point after a restart. A scope quiet for longer than its longest window plus two intervals is evaluated from
     * {@code target} minus that span: by then its windows hold nothing of the skipped points' time, so their
     * evaluations could not have changed anything. A new scope starts at {@code target}. Points before the windows'
     * current pane are skipped: the windows cannot roll back, and judging such a point on later panes' data let a
     * {@code for} count from too early a point (false alarms in the demo under CPU starvation).
     */
    private void evaluateThrough(ScopeState scope, ScopeState agent, long target) {
        long p = scope.nextEvaluation == Long.MIN_VALUE ? target : Math.max(scope.nextEvaluation, target - catchUpMs);
        // the windows only roll forward: a point before their current pane would be judged on later panes' data
        p = Math.max(p, Math.floorDiv(scope.windows.currentStart() + intervalMs - 1, intervalMs) * intervalMs);
        for (; p <= target; p += intervalMs) {
            evaluateScope(scope, agent, p);
        }
        scope.nextEvaluation = target + intervalMs;
        scope.marksDirty = true;
        cache.markDirty(scope.scope);
    }

    private void addTo(ScopeState scope, long ts, boolean inGrace, AgentEvent event) {
        if (inGrace && scope.windows.add(ts, contribution, scope.scope, panes, scope)) {
            cache.markDirty(scope.scope);
        } else {
            late++;
        }
        boolean evidence = false;
        if (contribution.isError()) {
            evidence = scope.errorTraces.add(event.getTraceId());
        }
        if (contribution.hasLatency() && event.getLatencyMs() >= scope.slowThresholdMs) {
            evidence |= scope.slowTraces.add(event.getTraceId());
        }
        if (contribution.tokens() >= scope.tokenThreshold) {
            evidence |= scope.tokenTraces.add(event.getTraceId());
        }
        if (evidence) {
            scope.recordDirty = true;
            cache.markDirty(scope.scope);
        }
        if (!scope.pending) {
            scope.pending = true;
            scope.marksDirty = true;
            pending.add(scope.scope);
        }
    }

    private void noteLabels(ScopeState agent, AgentEvent event) {
        String tenant = event.getTenant();
        String workflow = event.getWorkflow();
        if ((tenant != null && !tenant.equals(agent.tenant)) || (workflow != null && !workflow.equals(agent.workflow))) {
            agent.tenant = tenant != null ? tenant : agent.tenant;
            agent.workflow = workflow != null ? workflow : agent.workflow;
            agent.recordDirty = true;
            cache.markDirty(agent.scope);
        }
    }

    private void evaluateEventRules(ScopeState agent, AgentEvent event, long ts) {
        bindings.at(agent, agent.baselines, settings.baselineWarmup(), event);
        AgentRules agentRules = rulesOf(agent);
        for (int i = 0; i < eventRules.size(); i++) {
            RuleDefinition rule = eventRules.get(i);
            EffectiveRule eff = agentRules.get(windowRules.size() + i);
            if (!eff.enabled() || !eff.condition().test(bindings)) {
                continue;
            }
            AlertState state = agent.alert(rule.id());
            boolean newIncident = state.phase() != AlertState.Phase.FIRING;
            Emit emit = AlertLifecycle.occurred(state, ts, eff.definition().repeatInterval());
            agent.recordDirty = true;
            cache.markDirty(agent.scope);
            active.add(agent.scope);
            if (emit != Emit.NOTHING) {
                AlertContext ctx = context(eff, agent, null)
                        .numbers(eff.condition().value(bindings), eff.condition().threshold(bindings), eff.condition().baseline(bindings))
                        .evidence(event.getTraceId() == null ? List.of() : List.of(event.getTraceId()))
                        .session(event.getSessionId());
                emit(eff.definition(), state, emit, newIncident, ts, ctx);
            }
        }
    }

    /**
     * The event-time tick, for scopes whose own events have stopped or fallen behind: a scope with new events or an
     * active alert (an agent that went quiet must still see its alert resolve) is evaluated at the last evaluation
     * point before {@code stream time - grace}, if its own events have not evaluated it there. Behind that watermark
     * no event of the scope can still count (later ones are late), so the outcome does not depend on when the tick
     * runs: the same input gives the same alerts in a replay.
     */
    private void evaluate(long streamTime) {
        long now = Math.floorDiv(streamTime - settings.grace().toMillis(), intervalMs) * intervalMs;
        toEvaluate.clear();
        toEvaluate.addAll(pending);
        for (String scope : active) {
            if (!pending.contains(scope)) {
                toEvaluate.add(scope);
            }
        }
        loadTimestamp = now;
        for (String key : toEvaluate) {
            ScopeState scope = cache.get(key);
            if (scope.nextEvaluation > now) {
                continue;
            }
            ScopeState agent = scope.isAgentScope() ? scope : cache.get(scope.agentId);
            evaluateThrough(scope, agent, now);
        }
        publishCounts();
        if (emitted) {
            emitted = false;
            context.commit();
        }
    }

    private void evaluateScope(ScopeState scope, ScopeState agent, long now) {
        String key = scope.scope;
        long paneStart = Math.floorDiv(now, paneMs) * paneMs;
        scope.windows.rollTo(paneStart, key, panes, scope);
        bindings.at(scope, agent.baselines, settings.baselineWarmup(), null);
        String segmentationId = scope.isAgentScope() ? "" : key.substring(key.indexOf(ScopeState.SEPARATOR) + 1, key.lastIndexOf(ScopeState.SEPARATOR));
        AgentRules agentRules = rulesOf(scope);
        for (int i = 0; i < windowRules.size(); i++) {
            RuleDefinition rule = windowRules.get(i);
            if (rule.segmentation().id().equals(segmentationId)) {
                evaluateWindowRule(agentRules.get(i), rule, scope, agent, now, paneStart);
            }
        }
        if (scope.isAgentScope()) {
            for (int i = 0; i < eventRules.size(); i++) {
                RuleDefinition rule = eventRules.get(i);
                AlertState state = scope.alerts.get(rule.id());
                if (state != null && state.isActive()) {
                    EffectiveRule eff = agentRules.get(windowRules.size() + i);
                    Emit emit = eff.enabled() ? AlertLifecycle.expire(state, now, eff.definition().resolveAfter()) : AlertLifecycle.end(state);
                    if (emit != Emit.NOTHING) {
                        scope.recordDirty = true;
                        cache.markDirty(key);
                        emit(eff.definition(), state, emit, false, now, context(eff, scope, null));
                    }
                }
            }
        }
        updateEvidenceThresholds(scope, agent);
        if (scope.pending) {
            scope.pending = false;
            scope.marksDirty = true;
            pending.remove(key);
        }
        if (scope.hasActiveAlert()) {
            active.add(key);
        } else {
            active.remove(key);
        }
    }

    /** The scope's rules as of the current overrides, kept in its live state. */
    private AgentRules rulesOf(ScopeState scope) {
        AgentRules r = scope.rules;
        if (r == null || r.version() != resolver.version()) {
            r = resolver.forAgent(scope.agentId);
            scope.rules = r;
        }
        return r;
    }

    private void evaluateWindowRule(EffectiveRule eff, RuleDefinition rule, ScopeState scope, ScopeState agent, long now, long paneStart) {
        AlertState state = scope.alerts.get(rule.id());
        boolean wasActive = state != null && state.isActive();
        RuleDefinition def = eff.definition();
        boolean holds = false;
        Pane window = scope.windows.window(def.windowMinutes());
        if (eff.enabled() && window != null) {
            holds = window.events() >= def.minEvents() && eff.condition().test(bindings);
        }
        if (!holds && !wasActive) {
            return;
        }
        if (state == null) {
            state = scope.alert(rule.id());
        }
        AlertState.Phase before = state.phase();
        Emit emit = eff.enabled() ? AlertLifecycle.evaluate(state, holds, now, def.forDuration(), def.repeatInterval()) : AlertLifecycle.end(state);
        if (emit != Emit.NOTHING || before != state.phase()) {
            scope.recordDirty = true;
            cache.markDirty(scope.scope);
        }
        if (emit != Emit.NOTHING) {
            long windowStart = paneStart - (long) (def.windowMinutes() - 1) * paneMs;
            AlertContext ctx = context(eff, scope, agent)
                    .numbers(eff.condition().value(bindings), eff.condition().threshold(bindings), eff.condition().baseline(bindings))
                    .window(windowStart, now)
                    .evidence(evidenceFor(eff, scope));
            if (window != null) {
                ctx.var("events", window.events()).var("errors", window.errors());
                for (WindowMetric m : eff.condition().metrics()) {
                    ctx.var(m.ruleName(), window.metric(m));
                }
            }
            emit(def, state, emit, before != AlertState.Phase.FIRING, now, ctx);
        }
    }

    private AlertContext context(EffectiveRule eff, ScopeState scope, ScopeState agent) {
        ScopeState labelsFrom = agent != null ? agent : scope;
        Map<String, String> fingerprintScope = new LinkedHashMap<>();
        fingerprintScope.put("agent_id", scope.agentId);
        if (scope.segmentLabel != null) {
            fingerprintScope.put(scope.segmentLabel, scope.segmentValue);
        }
        AlertContext ctx = new AlertContext()
                .fingerprint(Fingerprint.of(eff.definition().id(), fingerprintScope))
                .agent(scope.agentId, labelsFrom.tenant)
                .label("workflow", labelsFrom.workflow);
        if (scope.segmentLabel != null) {
            ctx.label(scope.segmentLabel, scope.segmentValue).var("segment", scope.segmentLabel + "=" + scope.segmentValue);
        }
        return ctx;
    }

    private static List<String> evidenceFor(EffectiveRule eff, ScopeState scope) {
        Set<WindowMetric> metrics = eff.condition().metrics();
        for (WindowMetric m : metrics) {
            if (m.name().startsWith("LATENCY")) {
                return scope.slowTraces.newestFirst();
            }
        }
        for (WindowMetric m : metrics) {
            if (m.name().contains("TOKEN") || m == WindowMetric.COST) {
                return scope.tokenTraces.newestFirst();
            }
        }
        return scope.errorTraces.newestFirst();
    }

    private void updateEvidenceThresholds(ScopeState scope, ScopeState agent) {
        Pane shortest = scope.windows.window(windows[0]);
        double p90 = shortest == null ? Double.NaN : shortest.metric(WindowMetric.LATENCY_P90);
        scope.slowThresholdMs = Double.isNaN(p90) ? Double.POSITIVE_INFINITY : p90;
        double perRequest = agent.baselines == null ? Double.NaN : agent.baselines.get(BaselineMetric.TOKENS_PER_REQUEST, 1);
        if (Double.isNaN(perRequest) && shortest != null) {
            perRequest = shortest.metric(WindowMetric.TOKENS_PER_REQUEST);
        }
        scope.tokenThreshold = Double.isNaN(perRequest) ? Double.POSITIVE_INFINITY : 1.5 * perRequest;
    }

    /** {@code newIncident}: the alert was not FIRING before; a new incident of an agent a cascade reached is caused by it. */
    private void emit(RuleDefinition rule, AlertState state, Emit emit, boolean newIncident, long now, AlertContext ctx) {
        if (emit == Emit.FIRING && newIncident) {
            state.causedBy(causes.causeOf(ctx.agentId(), now));
        }
        Alert alert = AlertFactory.create(rule, state, emit, now, ctx);
        context.forward(new Record<>(alert.getFingerprint(), alert, now));
        metrics.alert(rule.alertname(), rule.severity().name(), alert.getStatus().name());
        emitted = true;
    }

    private ScopeState load(String key) {
        ScopeState scope = ScopeState.forKey(key);
        byte[] record = scopes.get(key);
        if (record != null) {
            scope.decodeRecord(new ByteReader(record));
        }
        if (scope.isAgentScope() && scope.baselines == null) {
            scope.baselines = new io.agentwatch.processor.stats.Baselines();
        }
        scope.baselineAlpha = io.agentwatch.processor.stats.Baselines.alpha(settings.baselineHalfLife().toMillis() / (double) paneMs);
        long paneStart = Math.floorDiv(loadTimestamp, paneMs) * paneMs;
        byte[] marks = evaluations.get(key);
        if (marks == null) {
            // a scope's marks are written with its first event and never deleted: without them it has no panes, and
            // a new agent costs no range read of the pane store (an iterator per segment)
            scope.windows = WindowState.empty(paneMs, windows, paneStart);
            return scope;
        }
        long newestStart = Math.floorDiv(Math.max(loadTimestamp, context.currentStreamTimeMs()), paneMs) * paneMs;
        scope.windows = WindowState.rebuild(key, paneMs, windows, paneStart, newestStart, panes);
        ByteReader in = new ByteReader(marks);
        scope.nextEvaluation = in.varLong();
        scope.pending = in.varLong() == 1;
        return scope;
    }

    private void write(String key, ScopeState scope) {
        if (scope == null) {
            scopes.delete(key);
            return;
        }
        scope.windows.flush(key, panes);
        if (scope.marksDirty) {
            buffer.reset();
            buffer.varLong(scope.nextEvaluation);
            buffer.varLong(scope.pending ? 1 : 0);
            evaluations.put(key, buffer.toByteArray());
            scope.marksDirty = false;
        }
        if (scope.recordDirty) {
            buffer.reset();
            scope.encodeRecord(buffer);
            scopes.put(key, buffer.toByteArray());
            scope.recordDirty = false;
        }
    }

    private void beforeCommit() {
        cache.flush();
        // also here, not only at the tick: when the traffic stops, stream time stops and the tick with it
        publishCounts();
    }

    /** Counted per event in plain fields (the hot path), published to the meters at each tick and commit. */
    private void publishCounts() {
        metrics.eventsProcessed(processed);
        metrics.lateEvents(late);
        processed = 0;
        late = 0;
    }

    @Override
    public void close() {
        // on a clean close the commit before it has flushed; on a dirty one the changelog is the truth
        if (cache != null) {
            cache.clear();
        }
    }
}
