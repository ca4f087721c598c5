package io.agentwatch.gateway.otlp;

import com.google.protobuf.ByteString;
import io.agentwatch.gateway.AttributeFilter;
import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.pricing.PriceTable;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one OpenTelemetry span into one {@link AgentEvent}, following the GenAI semantic conventions and the
 * {@code agentwatch.*} attributes listed in the module README. A span without GenAI meaning (no
 * {@code gen_ai.operation.name}, no {@code gen_ai.usage.*}, {@code gen_ai.agent.*}, {@code gen_ai.tool.*}, model,
 * provider or {@code agentwatch.*} step attribute) is {@linkplain Result#IGNORED ignored}; a GenAI span that cannot
 * make a valid event is {@linkplain Result#rejected rejected} with a message naming the attribute or field.
 *
 * <p>The event id is a name-based UUID of the trace id and span id, so a client that retries the same spans
 * produces the same event ids. The event time is the span's start. Thread-safe; one instance serves all requests.
 */
public final class SpanMapper {
    private static final byte[] EVENT_ID_NAMESPACE = "agentwatch.otlp.span:".getBytes(StandardCharsets.US_ASCII);

    private final PriceTable prices;
    private final AttributeFilter allowed;
    private final EventRules rules;

    public SpanMapper(PriceTable prices, AttributeFilter allowed, EventRules rules) {
        this.prices = prices;
        this.allowed = allowed;
        this.rules = rules;
    }

    /** What a resource contributes to the events of its spans; computed once per resource. */
    public ResourceContext resource(Resource resource) {
        ResourceContext r = new ResourceContext();
        for (KeyValue kv : resource.getAttributesList()) {
            String key = kv.getKey();
            switch (key) {
                case "service.name" -> r.serviceName = text(kv.getValue());
                case "service.version" -> r.serviceVersion = text(kv.getValue());
                case "gen_ai.agent.id" -> r.agentId = text(kv.getValue());
                case "gen_ai.agent.name" -> r.agentName = text(kv.getValue());
                case "gen_ai.agent.version" -> r.agentVersion = text(kv.getValue());
                case "gen_ai.workflow.name" -> r.workflow = text(kv.getValue());
                case "agentwatch.tenant" -> r.tenant = text(kv.getValue());
                default -> {
                }
            }
            if (allowed.allows(key)) {
                String v = scalar(kv.getValue());
                if (v != null) {
                    if (r.attributes.isEmpty()) {
                        r.attributes = new HashMap<>();
                    }
                    r.attributes.put(key, v);
                }
            }
        }
        return r;
    }

    /** The event for the span, or why there is none. */
    public Result map(ResourceContext res, Span span, Caller caller, long nowMs) {
        SpanAttributes a = new SpanAttributes();
        String problem = a.read(span.getAttributesList(), allowed);
        if (!a.genAi) {
            return Result.IGNORED;
        }
        if (problem != null) {
            return Result.rejected(problem);
        }

        ByteString traceId = span.getTraceId();
        ByteString spanId = span.getSpanId();
        if (traceId.size() != 16 || Hex.allZero(traceId)) {
            return Result.rejected("trace_id: must be 16 bytes and not all zero, was " + traceId.size() + " bytes");
        }
        if (spanId.size() != 8 || Hex.allZero(spanId)) {
            return Result.rejected("span_id: must be 8 bytes and not all zero, was " + spanId.size() + " bytes");
        }
        ByteString parent = span.getParentSpanId();
        if (parent.size() != 0 && parent.size() != 8) {
            return Result.rejected("parent_span_id: must be 8 bytes or empty, was " + parent.size() + " bytes");
        }
        long start = span.getStartTimeUnixNano();
        if (start <= 0) {
            return Result.rejected("timestamp: the span has no start time (startTimeUnixNano)");
        }

        String agentId = firstNonEmpty(a.agentId, res.agentId, a.agentName, res.agentName, res.serviceName);
        if (agentId == null) {
            return Result.rejected("agent_id: the span has no gen_ai.agent.id, gen_ai.agent.name or resource service.name");
        }
        String named = a.tenant != null ? a.tenant : res.tenant;
        String violation = caller.tenantViolation(named);
        if (violation != null) {
            return Result.rejected("tenant: " + violation);
        }

        AgentEvent e = new AgentEvent();
        e.setEventId(eventId(traceId, spanId));
        e.setTimestamp(Instant.ofEpochMilli(start / 1_000_000L));
        e.setAgentId(agentId);
        e.setAgentName(a.agentName != null ? a.agentName : res.agentName);
        e.setAgentVersion(firstNonEmpty(a.agentVersion, res.agentVersion, res.serviceVersion));
        e.setTenant(caller.resolveTenant(named));
        e.setWorkflow(a.workflow != null ? a.workflow : res.workflow);
        e.setSessionId(a.sessionId);
        e.setTraceId(Hex.encode(traceId));
        e.setSpanId(Hex.encode(spanId));
        e.setParentSpanId(Hex.encode(parent));
        e.setOperation(operation(a));
        e.setProvider(a.provider != null ? a.provider : a.system);
        e.setModel(a.requestModel != null ? a.requestModel : a.responseModel);
        status(span, a.errorType, e);
        long end = span.getEndTimeUnixNano();
        e.setLatencyMs(end >= start ? (end - start) / 1_000_000L : null);
        e.setInputTokens(a.inputTokens);
        e.setOutputTokens(a.outputTokens);
        boolean unpriced = false;
        if (a.costUsd != null) {
            e.setCostUsd(a.costUsd);
        } else {
            Double cost = prices.cost(e.getModel(), a.inputTokens, a.outputTokens);
            e.setCostUsd(cost);
            unpriced = cost == null && (a.inputTokens != null || a.outputTokens != null);
        }
        e.setToolName(a.toolName);
        e.setToolArgsHash(a.toolArgsHash != null ? a.toolArgsHash : hashArguments(a.toolArguments));
        e.setRetryCount(a.retryCount);
        e.setIteration(a.iteration);
        e.setMaxIterations(a.maxIterations);
        e.setConfidence(a.confidence);
        e.setOutcome(a.outcome);
        e.setApproval(a.approval);
        e.setAttributes(mergeAttributes(res.attributes, a.attributes));

        String broken = rules.check(e, nowMs);
        if (broken != null) {
            return Result.rejected(broken);
        }
        return new Result(e, null, unpriced);
    }

    /** Version-3 (name-based) UUID of a namespace, the trace id and the span id. */
    static String eventId(ByteString traceId, ByteString spanId) {
        byte[] name = new byte[EVENT_ID_NAMESPACE.length + traceId.size() + spanId.size()];
        System.arraycopy(EVENT_ID_NAMESPACE, 0, name, 0, EVENT_ID_NAMESPACE.length);
        traceId.copyTo(name, EVENT_ID_NAMESPACE.length);
        spanId.copyTo(name, EVENT_ID_NAMESPACE.length + traceId.size());
        return UUID.nameUUIDFromBytes(name).toString();
    }

    private static Operation operation(SpanAttributes a) {
        if (a.operationName != null) {
            return operation(a.operationName);
        }
        if (a.toolName != null) {
            return Operation.EXECUTE_TOOL;
        }
        if (a.requestModel != null || a.responseModel != null || a.inputTokens != null || a.outputTokens != null) {
            return Operation.CHAT;
        }
        return Operation.OTHER;
    }

    /** gen_ai.operation.name values of the semantic conventions, plus the AgentEvent symbols themselves. */
    static Operation operation(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "chat", "text_completion", "generate_content", "completion" -> Operation.CHAT;
            case "execute_tool", "tool", "tool_call" -> Operation.EXECUTE_TOOL;
            case "invoke_agent", "agent" -> Operation.INVOKE_AGENT;
            case "plan", "planning" -> Operation.PLAN;
            case "retrieval", "retrieve", "retriever" -> Operation.RETRIEVAL;
            case "embeddings", "embedding", "create_embeddings" -> Operation.EMBEDDINGS;
            case "heartbeat" -> Operation.HEARTBEAT;
            default -> Operation.OTHER;
        };
    }

    private static void status(Span span, String errorType, AgentEvent e) {
        io.opentelemetry.proto.trace.v1.Status.StatusCode spanCode = span.getStatus().getCode();
        boolean failed = spanCode == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR
                || (errorType != null && spanCode != io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK);
        if (!failed) {
            e.setStatus(Status.OK);
            return;
        }
        String type = errorType != null ? errorType : exceptionType(span);
        e.setErrorType(type);
        e.setStatus(failureKind(type, span.getStatus().getMessage()));
    }

    /** TIMEOUT when error.type (or, without one, the status message) says so; CANCELLED likewise; else ERROR. */
    static Status failureKind(String errorType, String message) {
        String s = (errorType != null ? errorType : message == null ? "" : message).toLowerCase(Locale.ROOT);
        if (s.contains("timeout") || s.contains("timed out") || s.contains("timed_out") || s.contains("deadline")) {
            return Status.TIMEOUT;
        }
        if (s.contains("cancel")) {
            return Status.CANCELLED;
        }
        return Status.ERROR;
    }

    /** exception.type of the span's first "exception" event, the older way of recording what failed. */
    private static String exceptionType(Span span) {
        for (Span.Event ev : span.getEventsList()) {
            if (ev.getName().equals("exception")) {
                for (KeyValue kv : ev.getAttributesList()) {
                    if (kv.getKey().equals("exception.type")) {
                        return text(kv.getValue());
                    }
                }
            }
        }
        return null;
    }

    private static Map<String, String> mergeAttributes(Map<String, String> fromResource, Map<String, String> fromSpan) {
        if (fromSpan.isEmpty()) {
            return fromResource.isEmpty() ? Collections.emptyMap() : fromResource;
        }
        if (fromResource.isEmpty()) {
            return fromSpan;
        }
        Map<String, String> merged = new HashMap<>(fromResource);
        merged.putAll(fromSpan);
        return merged;
    }

    private static String hashArguments(String arguments) {
        if (arguments == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(arguments.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** A string attribute's text; numbers and booleans as their text; null for empty, arrays and maps. */
    static String text(AnyValue v) {
        String s = scalar(v);
        return s == null || s.isEmpty() ? null : s;
    }

    private static String scalar(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> null;
        };
    }

    /** The resource-level facts for the events of its spans. */
    public static final class ResourceContext {
        String serviceName;
        String serviceVersion;
        String agentId;
        String agentName;
        String agentVersion;
        String workflow;
        String tenant;
        Map<String, String> attributes = Collections.emptyMap();
    }

    /**
     * The outcome for one span: an event, a rejection message, or {@link #IGNORED}.
     *
     * @param unpriced true when the event has token counts but neither a reported cost nor a price for its model
     */
    public record Result(AgentEvent event, String rejection, boolean unpriced) {
        public static final Result IGNORED = new Result(null, null, false);

        static Result rejected(String message) {
            return new Result(null, message, false);
        }

        public boolean ignored() {
            return event == null && rejection == null;
        }
    }

    /** One pass over a span's attributes, keeping what the event needs. */
    private static final class SpanAttributes {
        boolean genAi;
        String operationName;
        String agentId;
        String agentName;
        String agentVersion;
        String sessionId;
        String workflow;
        String provider;
        String system;
        String requestModel;
        String responseModel;
        Long inputTokens;
        Long outputTokens;
        String toolName;
        String toolArguments;
        String errorType;
        Double costUsd;
        Integer retryCount;
        Integer iteration;
        Integer maxIterations;
        Double confidence;
        Outcome outcome;
        Approval approval;
        String toolArgsHash;
        String tenant;
        Map<String, String> attributes = Collections.emptyMap();

        /** Reads the attributes; returns the first problem ("attribute: what is wrong"), or null. */
        String read(List<KeyValue> kvs, AttributeFilter allowed) {
            String problem = null;
            for (int i = 0, n = kvs.size(); i < n; i++) {
                KeyValue kv = kvs.get(i);
                String key = kv.getKey();
                AnyValue v = kv.getValue();
                String p = null;
                switch (key) {
                    case "gen_ai.operation.name" -> {
                        operationName = text(v);
                        genAi = true;
                    }
                    case "gen_ai.agent.id" -> {
                        agentId = text(v);
                        genAi = true;
                    }
                    case "gen_ai.agent.name" -> {
                        agentName = text(v);
                        genAi = true;
                    }
                    case "gen_ai.agent.version" -> {
                        agentVersion = text(v);
                        genAi = true;
                    }
                    case "gen_ai.conversation.id" -> sessionId = text(v);
                    case "session.id" -> {
                        if (sessionId == null) {
                            sessionId = text(v);
                        }
                    }
                    case "gen_ai.workflow.name" -> workflow = text(v);
                    case "gen_ai.provider.name" -> {
                        provider = text(v);
                        genAi = true;
                    }
                    case "gen_ai.system" -> {
                        system = text(v);
                        genAi = true;
                    }
                    case "gen_ai.request.model" -> {
                        requestModel = text(v);
                        genAi = true;
                    }
                    case "gen_ai.response.model" -> {
                        responseModel = text(v);
                        genAi = true;
                    }
                    case "gen_ai.usage.input_tokens" -> {
                        genAi = true;
                        Long t = integer(v);
                        p = t == null ? notAnInteger(key, v) : null;
                        inputTokens = t;
                    }
                    case "gen_ai.usage.prompt_tokens" -> {
                        genAi = true;
                        if (inputTokens == null) {
                            inputTokens = integer(v);
                            p = inputTokens == null ? notAnInteger(key, v) : null;
                        }
                    }
                    case "gen_ai.usage.output_tokens" -> {
                        genAi = true;
                        Long t = integer(v);
                        p = t == null ? notAnInteger(key, v) : null;
                        outputTokens = t;
                    }
                    case "gen_ai.usage.completion_tokens" -> {
                        genAi = true;
                        if (outputTokens == null) {
                            outputTokens = integer(v);
                            p = outputTokens == null ? notAnInteger(key, v) : null;
                        }
                    }
                    case "gen_ai.tool.name" -> {
                        toolName = text(v);
                        genAi = true;
                    }
                    case "gen_ai.tool.call.arguments" -> {
                        toolArguments = text(v);
                        genAi = true;
                    }
                    case "error.type" -> errorType = text(v);
                    case "agentwatch.cost_usd" -> {
                        genAi = true;
                        costUsd = decimal(v);
                        p = costUsd == null ? notANumber(key, v) : null;
                    }
                    case "agentwatch.retry_count" -> {
                        genAi = true;
                        retryCount = int32(v);
                        p = retryCount == null ? notAnInteger(key, v) : null;
                    }
                    case "agentwatch.iteration" -> {
                        genAi = true;
                        iteration = int32(v);
                        p = iteration == null ? notAnInteger(key, v) : null;
                    }
                    case "agentwatch.max_iterations" -> {
                        genAi = true;
                        maxIterations = int32(v);
                        p = maxIterations == null ? notAnInteger(key, v) : null;
                    }
                    case "agentwatch.confidence" -> {
                        genAi = true;
                        confidence = decimal(v);
                        p = confidence == null ? notANumber(key, v) : null;
                    }
                    case "agentwatch.outcome" -> {
                        genAi = true;
                        String s = text(v);
                        outcome = s == null ? null : symbol(Outcome.class, s);
                        p = s != null && outcome == null ? unknownSymbol(key, s, Outcome.values()) : null;
                    }
                    case "agentwatch.approval" -> {
                        genAi = true;
                        String s = text(v);
                        approval = s == null ? null : symbol(Approval.class, s);
                        p = s != null && approval == null ? unknownSymbol(key, s, Approval.values()) : null;
                    }
                    case "agentwatch.tool_args_hash" -> {
                        genAi = true;
                        toolArgsHash = text(v);
                    }
                    case "agentwatch.tenant" -> tenant = text(v);
                    default -> {
                        if (key.startsWith("gen_ai.usage.") || key.startsWith("gen_ai.agent.") || key.startsWith("gen_ai.tool.")) {
                            genAi = true;
                        }
                    }
                }
                if (p != null && problem == null) {
                    problem = p;
                }
                if (allowed.allows(key)) {
                    String s = scalar(v);
                    if (s != null) {
                        if (attributes.isEmpty()) {
                            attributes = new HashMap<>();
                        }
                        attributes.put(key, s);
                    }
                }
            }
            return problem;
        }
    }

    private static Long integer(AnyValue v) {
        switch (v.getValueCase()) {
            case INT_VALUE:
                return v.getIntValue();
            case DOUBLE_VALUE: {
                double d = v.getDoubleValue();
                return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
            }
            case STRING_VALUE:
                try {
                    return Long.parseLong(v.getStringValue().strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    private static Integer int32(AnyValue v) {
        Long l = integer(v);
        return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : (int) l.longValue();
    }

    private static Double decimal(AnyValue v) {
        switch (v.getValueCase()) {
            case INT_VALUE:
                return (double) v.getIntValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case STRING_VALUE:
                try {
                    return Double.parseDouble(v.getStringValue().strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    private static <E extends Enum<E>> E symbol(Class<E> type, String text) {
        String s = text.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        return null;
    }

    private static String notAnInteger(String key, AnyValue v) {
        return key + ": expected an integer, got " + describe(v);
    }

    private static String notANumber(String key, AnyValue v) {
        return key + ": expected a number, got " + describe(v);
    }

    private static String unknownSymbol(String key, String value, Enum<?>[] symbols) {
        return key + ": unknown value '" + abbreviate(value) + "', expected one of " + Arrays.toString(symbols);
    }

    private static String describe(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> "the string '" + abbreviate(v.getStringValue()) + "'";
            case BOOL_VALUE -> "a boolean";
            case ARRAY_VALUE -> "an array";
            case KVLIST_VALUE -> "a map";
            case BYTES_VALUE -> "bytes";
            case INT_VALUE -> "the integer " + v.getIntValue();
            case DOUBLE_VALUE -> "the number " + v.getDoubleValue();
            default -> "no value";
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
