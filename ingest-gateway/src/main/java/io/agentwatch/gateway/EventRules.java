package io.agentwatch.gateway;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.validation.AgentEventValidator;
import java.util.Map;

/**
 * The checks every event passes before the gateway publishes it, whichever endpoint it came through: the schema's
 * value rules ({@link AgentEventValidator}: ids, a plausible event time, no negative counts, confidence 0..1) and
 * size limits on free-form fields, so that one client cannot put megabytes into a record or ids and free text into
 * the low-cardinality attribute map.
 */
public final class EventRules {
    public static final int MAX_STRING_LENGTH = 1024;
    public static final int MAX_ATTRIBUTES = 64;
    public static final int MAX_ATTRIBUTE_KEY_LENGTH = 128;
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 256;

    private final AgentEventValidator validator;

    public EventRules(long maxFutureSkewMs) {
        this.validator = new AgentEventValidator(maxFutureSkewMs);
    }

    /** {@code field: problem} for the first rule the event breaks, or null. */
    public String check(AgentEvent e, long nowMs) {
        AgentEventValidator.Violation v = validator.check(e, nowMs);
        if (v != null) {
            return v.message();
        }
        String tooLong = firstTooLong(e);
        if (tooLong != null) {
            return tooLong + ": longer than " + MAX_STRING_LENGTH + " characters";
        }
        Map<String, String> attributes = e.getAttributes();
        if (attributes != null) {
            if (attributes.size() > MAX_ATTRIBUTES) {
                return "attributes: more than " + MAX_ATTRIBUTES + " entries (" + attributes.size() + ")";
            }
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                if (a.getKey().length() > MAX_ATTRIBUTE_KEY_LENGTH) {
                    return "attributes: key longer than " + MAX_ATTRIBUTE_KEY_LENGTH + " characters";
                }
                if (a.getValue() == null) {
                    return "attributes." + a.getKey() + ": is null";
                }
                if (a.getValue().length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
                    return "attributes." + a.getKey() + ": longer than " + MAX_ATTRIBUTE_VALUE_LENGTH + " characters";
                }
            }
        }
        return null;
    }

    private static String firstTooLong(AgentEvent e) {
        if (tooLong(e.getAgentName())) {
            return "agent_name";
        }
        if (tooLong(e.getAgentVersion())) {
            return "agent_version";
        }
        if (tooLong(e.getTenant())) {
            return "tenant";
        }
        if (tooLong(e.getWorkflow())) {
            return "workflow";
        }
        if (tooLong(e.getSessionId())) {
            return "session_id";
        }
        if (tooLong(e.getTraceId())) {
            return "trace_id";
        }
        if (tooLong(e.getSpanId())) {
            return "span_id";
        }
        if (tooLong(e.getParentSpanId())) {
            return "parent_span_id";
        }
        if (tooLong(e.getProvider())) {
            return "provider";
        }
        if (tooLong(e.getModel())) {
            return "model";
        }
        if (tooLong(e.getErrorType())) {
            return "error_type";
        }
        if (tooLong(e.getToolName())) {
            return "tool_name";
        }
        if (tooLong(e.getToolArgsHash())) {
            return "tool_args_hash";
        }
        return null;
    }

    private static boolean tooLong(String s) {
        return s != null && s.length() > MAX_STRING_LENGTH;
    }
}
