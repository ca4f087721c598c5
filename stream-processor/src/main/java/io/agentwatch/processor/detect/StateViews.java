package io.agentwatch.processor.detect;

import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.rules.BaselineMetric;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.state.ByteReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the detectors' stored records back as JSON-ready maps, for the query endpoints. The layouts are the
 * detectors' own (package-private); this is the one public door to them. Stores are written at commit, so a view is
 * as of the last commit of the task that owns the key.
 */
public final class StateViews {
    private final int baselineWarmup;
    private final List<String> budgetRules;
    private final List<String> loopRules;
    private final List<String> dailyRules;
    private final List<String> toolRules;
    private final List<String> silenceRules;
    private final List<String> releaseRules;

    public StateViews(RuleSet rules, int baselineWarmup) {
        this.baselineWarmup = baselineWarmup;
        this.budgetRules = ids(rules, RuleKind.SESSION_BUDGET);
        this.loopRules = ids(rules, RuleKind.LOOP);
        this.dailyRules = ids(rules, RuleKind.DAILY_BUDGET);
        this.toolRules = ids(rules, RuleKind.TOOL_TIMEOUT_CHAIN);
        this.silenceRules = ids(rules, RuleKind.SILENCE);
        this.releaseRules = ids(rules, RuleKind.RELEASE_REGRESSION);
    }

    private static List<String> ids(RuleSet rules, RuleKind kind) {
        return rules.ofKind(kind).stream().map(RuleDefinition::id).toList();
    }

    /** The separator in the keys of segment scopes ({@code agent US segmentation US value}) and of sessions. */
    public static char separator() {
        return ScopeState.SEPARATOR;
    }

    /** A scope record of agent-scopes-store: labels, baselines (agent scopes), active alerts. */
    public Map<String, Object> scope(String key, byte[] bytes) {
        ScopeState s = ScopeState.forKey(key);
        s.decodeRecord(new ByteReader(bytes));
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.segmentLabel != null) {
            m.put("segment", Map.of(s.segmentLabel, s.segmentValue));
        }
        if (s.tenant != null) {
            m.put("tenant", s.tenant);
        }
        if (s.workflow != null) {
            m.put("workflow", s.workflow);
        }
        if (s.baselines != null) {
            Map<String, Object> baselines = new LinkedHashMap<>();
            for (BaselineMetric metric : BaselineMetric.values()) {
                double v = s.baselines.get(metric, baselineWarmup);
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("value", Double.isNaN(v) ? null : v);
                b.put("samples", s.baselines.samples(metric));
                baselines.put(metric.ruleName(), b);
            }
            m.put("baselines", baselines);
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map.Entry<String, AlertState> e : s.alerts.entrySet()) {
            if (e.getValue().isActive()) {
                alerts.add(DetectorViews.alert(e.getKey(), e.getValue()));
            }
        }
        m.put("active_alerts", alerts);
        m.put("error_traces", s.errorTraces.newestFirst());
        return m;
    }

    public Map<String, Object> session(byte[] bytes) {
        return SessionStates.describe(bytes, budgetRules, loopRules);
    }

    public Map<String, Object> dailyBudget(byte[] bytes) {
        return DailyBudgetDetector.describe(bytes, dailyRules);
    }

    public List<Map<String, Object>> tools(byte[] bytes) {
        return ToolTimeoutChainDetector.describe(bytes, toolRules);
    }

    public Map<String, Object> silence(byte[] bytes) {
        return SilenceDetector.describe(bytes, silenceRules);
    }

    public Map<String, Object> releases(byte[] bytes) {
        return ReleaseRegressionDetector.describe(bytes, releaseRules);
    }

    public Map<String, Object> trace(byte[] bytes) {
        return CascadeProcessor.describe(bytes);
    }

    public Map<String, Object> cascadeCause(byte[] bytes) {
        CascadeCauses.Cause c = CascadeCauses.Cause.decode(bytes);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cascade_fingerprint", c.fingerprint());
        m.put("root_cause_agent_id", c.rootCauseAgentId());
        m.put("from", Instant.ofEpochMilli(c.from()).toString());
        m.put("until", Instant.ofEpochMilli(c.until()).toString());
        return m;
    }
}
