package io.agentwatch.processor.control;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.ControlAction;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.SuggestedAction;
import io.agentwatch.schema.serde.ByteSink;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The node {@code issue-control-commands} (present only with {@code control.enabled}): turns the first FIRING record
 * of each incident of a rule marked {@code control: true} whose alert suggests an action (not NONE) into one
 * {@link ControlCommand} on agent.control, keyed by the session id for TERMINATE_SESSION and by the agent id
 * otherwise. Repeats of an incident (a FIRING record with the same fingerprint and starts_at) write nothing: the
 * incident's starts_at is remembered in {@code control-incidents-store} (fingerprint -> starts_at) until its
 * RESOLVED record, so the store holds the open incidents only. A platform may act on the command; agentwatch never
 * does.
 *
 * <p>It sits on the alert stream inside the same task that raised the alert: every fingerprint is always raised by
 * the same task (its agent's or its trace's partition), so the store needs no re-keying.
 */
public final class ControlCommandsProcessor implements Processor<String, Alert, String, ControlCommand> {
    private final Map<String, Boolean> controlled = new HashMap<>();
    private final ProcessorMetrics metrics;
    private ProcessorContext<String, ControlCommand> context;
    private KeyValueStore<String, byte[]> incidents;

    public ControlCommandsProcessor(RuleSet rules, ProcessorMetrics metrics) {
        for (RuleDefinition r : rules.all()) {
            controlled.put(r.id(), r.control());
        }
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ControlCommand> context) {
        this.context = context;
        this.incidents = context.getStateStore(StoreNames.CONTROL_INCIDENTS);
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = record.value();
        if (alert == null || !controlled.getOrDefault(alert.getRuleId(), false) || alert.getSuggestedAction() == SuggestedAction.NONE) {
            return;
        }
        String fingerprint = alert.getFingerprint();
        if (alert.getStatus() == AlertStatus.RESOLVED) {
            incidents.delete(fingerprint);
            return;
        }
        long startsAt = alert.getStartsAt().toEpochMilli();
        byte[] known = incidents.get(fingerprint);
        if (known != null && new ByteReader(known).varLong() == startsAt) {
            return; // a repeat of an incident already commanded
        }
        ControlCommand command = command(alert, record.timestamp());
        if (command == null) {
            return;
        }
        ByteSink out = new ByteSink(10);
        out.varLong(startsAt);
        incidents.put(fingerprint, out.toByteArray());
        String key = command.getAction() == ControlAction.TERMINATE_SESSION && command.getSessionId() != null
                ? command.getSessionId() : command.getAgentId();
        context.forward(new Record<>(key, command, record.timestamp()));
        metrics.controlCommand(command.getAction().name());
    }

    /** The command an alert asks for, or null when it names no agent to act on. */
    static ControlCommand command(Alert alert, long timestamp) {
        String agentId = alert.getScope().getAgentId() != null ? alert.getScope().getAgentId() : alert.getRootCauseAgentId();
        if (agentId == null) {
            return null;
        }
        ControlAction action = ControlAction.valueOf(alert.getSuggestedAction().name());
        Map<String, String> labels = alert.getLabels();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("alertname", alert.getAlertname());
        params.put("severity", alert.getSeverity().name());
        params.put("starts_at", alert.getStartsAt().toString());
        if (alert.getValue() != null) {
            params.put("value", Double.toString(alert.getValue()));
        }
        if (alert.getThreshold() != null) {
            params.put("threshold", Double.toString(alert.getThreshold()));
        }
        if (labels.get("previous_version") != null) {
            params.put("previous_version", labels.get("previous_version"));
        }
        String seed = alert.getFingerprint() + "|" + alert.getStartsAt().toEpochMilli() + "|" + action;
        return ControlCommand.newBuilder()
                .setCommandId(UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString())
                .setTimestamp(java.time.Instant.ofEpochMilli(timestamp))
                .setAction(action)
                .setAgentId(agentId)
                .setSessionId(alert.getScope().getSessionId())
                .setTenant(alert.getScope().getTenant())
                .setAgentVersion(labels.get("agent_version"))
                .setReason(alert.getSummary())
                .setAlertFingerprint(alert.getFingerprint())
                .setRuleId(alert.getRuleId())
                .setParams(params)
                .build();
    }
}
