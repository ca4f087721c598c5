package io.agentwatch.processor.detect;

import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The node {@code notify-downstream-agents}: turns a FIRING CascadeFailure alert into one small notice per affected
 * agent other than the root cause, keyed by that agent's id (for the {@code cascade-notices} repartition topic, so
 * that each notice lands on the agent's partition): the cascade's fingerprint and the event-time span
 * [{@code starts_at - params.within}, {@code starts_at + params.caused_by_window}] (default 60s and 15m) in which
 * the agent's new incidents are attributed to it. Cascades are rare; this is off the per-event path.
 *
 * <p>A notice's record time is the start of that span, not the time of the alert: the agents' task reads the notices
 * beside the events, and its stream time is the largest record time it has read. The alert's time comes from the
 * cascade task, which is driven by every partition and may run ahead of this agent's partition; a notice stamped
 * with it would move the agents' stream time forward, making their own events look late to the window rules and
 * moving their idle evaluations. The span's start is at or before every failure of the cascade, each of which the
 * agent's task has already read.
 */
public final class CascadeNotices implements Processor<String, Alert, String, byte[]> {
    static final long DEFAULT_WITHIN_MS = 60_000;
    static final long DEFAULT_CAUSED_BY_WINDOW_MS = 15 * 60_000;

    private final Map<String, long[]> spans = new HashMap<>();

    public CascadeNotices(RuleSet rules) {
        for (RuleDefinition r : rules.ofKind(RuleKind.CASCADE)) {
            spans.put(r.id(), new long[] {(long) r.param("within", DEFAULT_WITHIN_MS), (long) r.param("caused_by_window", DEFAULT_CAUSED_BY_WINDOW_MS)});
        }
    }

    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = record.value();
        long[] span = alert == null ? null : spans.get(alert.getRuleId());
        String affected = span == null ? null : alert.getLabels().get("affected_agents");
        String root = span == null ? null : alert.getRootCauseAgentId();
        if (span == null || alert.getStatus() != AlertStatus.FIRING || affected == null || root == null) {
            return;
        }
        long start = alert.getStartsAt().toEpochMilli();
        long from = start - span[0];
        byte[] notice = new CascadeCauses.Cause(alert.getFingerprint(), from, start + span[1], root).encode();
        for (String agent : affected.split(",")) {
            if (!agent.isEmpty() && !agent.equals(root)) {
                context.forward(new Record<>(agent, notice, Math.min(from, record.timestamp())));
            }
        }
    }
}
