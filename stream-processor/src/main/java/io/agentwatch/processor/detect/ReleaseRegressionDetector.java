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
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.serde.ByteSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Record;

/**
 * ReleaseRegression (rules of kind {@code release_regression}): after an agent's {@code agent_version} changes,
 * the new release's error rate, p95 step latency and cost per successful run are compared with those of the
 * release it replaced, each over its last one to two stats windows ({@code window}, default 30m). A regression is
 * an error rate higher by more than {@code params.error_margin} (absolute, default 0.05), a p95 more than
 * {@code params.latency_ratio} times (default 1.5), or a cost per successful run more than {@code params.cost_ratio}
 * times (default 1.5) the previous release's; compared once both have {@code min_events} events (and
 * {@code params.min_runs} successful runs for the cost). Evaluated on the event-time tick; held for {@code for}, it
 * fires naming both versions (labels {@code agent_version}, {@code previous_version}, {@code regressed}) and
 * suggests ROLLBACK_RELEASE; it resolves when the new release stops regressing or stops being used for
 * {@code resolve_after} (a rollback). The previous release only counts as a baseline if it was in use at most
 * {@code params.baseline_max_age} (default 1h) before the new one appeared. Canaries work: events of both versions
 * update their own statistics. State: {@code agent-releases-store}, one record per agent, two releases at most.
 */
public final class ReleaseRegressionDetector extends StateDetector<String, ReleaseStats> {
    private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    private static final long DEFAULT_MIN_EVENTS = 100;
    private static final long DEFAULT_MIN_RUNS = 10;
    private static final double DEFAULT_ERROR_MARGIN = 0.05;
    private static final double DEFAULT_LATENCY_RATIO = 1.5;
    private static final double DEFAULT_COST_RATIO = 1.5;
    private static final Duration DEFAULT_BASELINE_MAX_AGE = Duration.ofHours(1);

    /** Agents with two releases to compare; bounded by the agents. */
    private final Set<String> comparing = new HashSet<>();

    public ReleaseRegressionDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        super(rules, RuleKind.RELEASE_REGRESSION, settings, resolver, metrics, StoreNames.AGENT_RELEASES, StoreNames.AGENT_DETECTORS_HOOK,
                settings.liveAgents(), false);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        if (idle()) {
            return;
        }
        AgentEvent e = record.value();
        String version = e.getAgentVersion();
        Operation op = e.getOperation();
        if (version == null || op == Operation.HEARTBEAT) {
            return;
        }
        long ts = record.timestamp();
        String agentId = e.getAgentId();
        ReleaseStats s = live(agentId, ts);
        ReleaseStats.Version v = s.find(version);
        if (v == null) {
            v = s.add(version, ts);
            if (s.versions.size() > 1) {
                comparing.add(agentId);
            }
        }
        if (s.tenant == null) {
            s.tenant = e.getTenant();
            s.workflow = e.getWorkflow();
        }
        ReleaseStats.Bucket b = v.bucket(ts, window(rules.get(0)));
        b.events++;
        Status status = e.getStatus();
        if (status == Status.ERROR || status == Status.TIMEOUT) {
            b.errors++;
        }
        if (op != Operation.INVOKE_AGENT) {
            Long latency = e.getLatencyMs();
            if (latency != null) {
                b.latency.add(latency);
            }
            Double cost = e.getCostUsd();
            if (cost != null) {
                b.cost += cost;
            }
        } else if (e.getOutcome() == Outcome.SUCCEEDED) {
            b.succeeded++;
        }
    }

    private static long window(RuleDefinition def) {
        return def.window().isZero() ? DEFAULT_WINDOW.toMillis() : def.window().toMillis();
    }

    /** What a comparison found. */
    private record Comparison(boolean error, boolean latency, boolean cost, ReleaseStats.Bucket fresh, ReleaseStats.Bucket old) {
        boolean any() {
            return error || latency || cost;
        }

        String regressed() {
            List<String> names = new ArrayList<>();
            if (error) {
                names.add("error_rate");
            }
            if (latency) {
                names.add("latency_p95");
            }
            if (cost) {
                names.add("cost_per_successful_run");
            }
            return String.join(",", names);
        }
    }

    private static Comparison compare(RuleDefinition def, ReleaseStats.Bucket fresh, ReleaseStats.Bucket old) {
        long minEvents = def.minEvents() > 0 ? def.minEvents() : DEFAULT_MIN_EVENTS;
        if (fresh.events < minEvents || old.events < minEvents) {
            return new Comparison(false, false, false, fresh, old);
        }
        boolean error = rate(fresh) - rate(old) > def.param("error_margin", DEFAULT_ERROR_MARGIN);
        boolean latency = fresh.latency.count() >= minEvents && old.latency.count() >= minEvents
                && fresh.latency.quantile(0.95) > def.param("latency_ratio", DEFAULT_LATENCY_RATIO) * old.latency.quantile(0.95);
        double minRuns = def.param("min_runs", DEFAULT_MIN_RUNS);
        boolean cost = fresh.succeeded >= minRuns && old.succeeded >= minRuns && old.cost > 0
                && fresh.cost / fresh.succeeded > def.param("cost_ratio", DEFAULT_COST_RATIO) * (old.cost / old.succeeded);
        return new Comparison(error, latency, cost, fresh, old);
    }

    private static double rate(ReleaseStats.Bucket b) {
        return b.events == 0 ? 0 : b.errors / (double) b.events;
    }

    @Override
    protected void tick(long now) {
        if (comparing.isEmpty()) {
            return;
        }
        for (String agentId : new ArrayList<>(comparing)) {
            ReleaseStats s = cache.get(agentId);
            ReleaseStats.Version fresh = s == null ? null : s.newest();
            ReleaseStats.Version old = s == null ? null : s.baseline();
            if (old == null) {
                comparing.remove(agentId);
                continue;
            }
            boolean changed = false;
            for (int i = 0; i < rules.size(); i++) {
                changed |= evaluate(i, agentId, s, fresh, old, now);
            }
            if (!s.hasActiveAlert()) {
                long maxAge = (long) resolver.resolve(rules.get(0), agentId).definition().param("baseline_max_age", DEFAULT_BASELINE_MAX_AGE.toMillis());
                long resolveAfter = resolver.resolve(rules.get(0), agentId).definition().resolveAfter().toMillis();
                if (now - fresh.lastSeen > Math.max(maxAge, resolveAfter)) {
                    s.versions.remove(fresh);    // rolled back: the old release is the only one again
                    changed = true;
                } else if (fresh.firstSeen - old.lastSeen > maxAge) {
                    s.versions.remove(old);      // too old to compare with
                    changed = true;
                }
                if (s.versions.size() < 2) {
                    comparing.remove(agentId);
                }
            }
            if (changed) {
                cache.markDirty(agentId);
            }
        }
    }

    private boolean evaluate(int index, String agentId, ReleaseStats s, ReleaseStats.Version fresh, ReleaseStats.Version old, long now) {
        EffectiveRule eff = resolver.resolve(rules.get(index), agentId);
        RuleDefinition def = eff.definition();
        AlertState state = s.alerts == null ? null : s.alerts[index];
        boolean changed = false;
        if (state != null && state.isActive() && !fresh.version.equals(s.alertVersion)) {
            // the release the alert was about is no longer the newest: that incident is over
            Emit end = state.phase() == AlertState.Phase.FIRING ? AlertLifecycle.end(state) : AlertLifecycle.evaluate(state, false, now, def.forDuration(), def.repeatInterval());
            emitter.emit(def, state, end, false, now, context(def, s, agentId, s.alertVersion, s.alertBaseline));
            changed = true;
        }
        boolean inUse = now - fresh.lastSeen <= def.resolveAfter().toMillis();
        boolean baselineFresh = fresh.firstSeen - old.lastSeen <= def.param("baseline_max_age", DEFAULT_BASELINE_MAX_AGE.toMillis());
        Comparison c = inUse && baselineFresh ? compare(def, fresh.recent(), old.recent()) : null;
        boolean holds = eff.enabled() && c != null && c.any();
        if (!holds && (state == null || !state.isActive())) {
            return changed;
        }
        state = s.alert(index, rules.size());
        AlertState.Phase before = state.phase();
        if (before == AlertState.Phase.INACTIVE) {
            s.alertVersion = fresh.version;
            s.alertBaseline = old.version;
        }
        Emit emit = eff.enabled() ? AlertLifecycle.evaluate(state, holds, now, def.forDuration(), def.repeatInterval()) : AlertLifecycle.end(state);
        if (emit != Emit.NOTHING) {
            AlertContext ctx = context(def, s, agentId, s.alertVersion, s.alertBaseline);
            if (c != null) {
                numbers(ctx, def, c);
            }
            emitter.emit(def, state, emit, before != AlertState.Phase.FIRING, now, ctx);
        }
        return changed || emit != Emit.NOTHING || before != state.phase();
    }

    private static void numbers(AlertContext ctx, RuleDefinition def, Comparison c) {
        double errNew = rate(c.fresh());
        double errOld = rate(c.old());
        double p95New = c.fresh().latency.quantile(0.95);
        double p95Old = c.old().latency.quantile(0.95);
        double costNew = c.fresh().succeeded == 0 ? Double.NaN : c.fresh().cost / c.fresh().succeeded;
        double costOld = c.old().succeeded == 0 ? Double.NaN : c.old().cost / c.old().succeeded;
        if (c.error() || !c.any()) {
            ctx.numbers(errNew, errOld + def.param("error_margin", DEFAULT_ERROR_MARGIN), errOld);
        } else if (c.latency()) {
            ctx.numbers(p95New, def.param("latency_ratio", DEFAULT_LATENCY_RATIO) * p95Old, p95Old);
        } else {
            ctx.numbers(costNew, def.param("cost_ratio", DEFAULT_COST_RATIO) * costOld, costOld);
        }
        ctx.label("regressed", c.any() ? c.regressed() : null)
                .var("regressed", c.regressed())
                .var("error_rate_new", errNew).var("error_rate_old", errOld)
                .var("latency_p95_new", p95New).var("latency_p95_old", p95Old)
                .var("cost_per_success_new", costNew).var("cost_per_success_old", costOld);
    }

    private static AlertContext context(RuleDefinition def, ReleaseStats s, String agentId, String version, String baseline) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "agent_version", version == null ? "" : version)))
                .agent(agentId, s.tenant)
                .label("workflow", s.workflow)
                .label("agent_version", version)
                .label("previous_version", baseline)
                .var("agent_version", version)
                .var("previous_version", baseline);
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
    protected ReleaseStats create(String key, long ts) {
        return new ReleaseStats();
    }

    @Override
    protected ReleaseStats decode(String key, byte[] bytes) {
        return ReleaseStats.decode(bytes, ruleIds);
    }

    @Override
    protected void encode(ReleaseStats state, ByteSink out) {
        state.encode(out, ruleIds);
    }

    @Override
    protected boolean scansOnInit() {
        return true;
    }

    @Override
    protected void restored(String agentId, byte[] bytes) {
        if (ReleaseStats.decode(bytes, ruleIds).versions.size() > 1) {
            comparing.add(agentId);
        }
    }

    /** The stored releases of an agent for the query endpoints. */
    static Map<String, Object> describe(byte[] bytes, List<String> ruleIds) {
        return ReleaseStats.decode(bytes, ruleIds).describe(ruleIds);
    }
}
