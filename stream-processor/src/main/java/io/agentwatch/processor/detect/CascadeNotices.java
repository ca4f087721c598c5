package io.agentwatch.processor.detect;

import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KeyValueMapper;

/**
 * The node {@code notify-downstream-agents}: turns a FIRING CascadeFailure alert into one small notice per affected
 * agent other than the root cause, keyed by that agent's id (for the {@code cascade-notices} repartition topic, so
 * that each notice lands on the agent's partition): the cascade's fingerprint and the event-time span
 * [{@code starts_at - params.within}, {@code starts_at + params.caused_by_window}] (default 60s and 15m) in which
 * the agent's new incidents are attributed to it. Cascades are rare; this is off the per-event path.
 */
public final class CascadeNotices implements KeyValueMapper<String, Alert, Iterable<KeyValue<String, byte[]>>> {
    static final long DEFAULT_WITHIN_MS = 60_000;
    static final long DEFAULT_CAUSED_BY_WINDOW_MS = 15 * 60_000;

    private final Map<String, long[]> spans = new HashMap<>();

    public CascadeNotices(RuleSet rules) {
        for (RuleDefinition r : rules.ofKind(RuleKind.CASCADE)) {
            spans.put(r.id(), new long[] {(long) r.param("within", DEFAULT_WITHIN_MS), (long) r.param("caused_by_window", DEFAULT_CAUSED_BY_WINDOW_MS)});
        }
    }

    @Override
    public Iterable<KeyValue<String, byte[]>> apply(String fingerprint, Alert alert) {
        long[] span = spans.get(alert.getRuleId());
        String affected = alert.getLabels().get("affected_agents");
        String root = alert.getRootCauseAgentId();
        if (span == null || alert.getStatus() != AlertStatus.FIRING || affected == null || root == null) {
            return List.of();
        }
        long start = alert.getStartsAt().toEpochMilli();
        byte[] notice = new CascadeCauses.Cause(alert.getFingerprint(), start - span[0], start + span[1], root).encode();
        List<KeyValue<String, byte[]>> out = new ArrayList<>();
        for (String agent : affected.split(",")) {
            if (!agent.isEmpty() && !agent.equals(root)) {
                out.add(KeyValue.pair(agent, notice));
            }
        }
        return out;
    }
}
