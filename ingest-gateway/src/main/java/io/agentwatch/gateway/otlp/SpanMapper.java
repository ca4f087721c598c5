package io.agentwatch.gateway.otlp;

import io.agentwatch.gateway.AttributeFilter;
import io.agentwatch.gateway.EventRules;
import io.agentwatch.gateway.auth.TenantAuth.Caller;
import io.agentwatch.gateway.pricing.PriceTable;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
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
 * produces the same event ids. The event time is the span's start. Spans arrive as messages (OTLP/JSON, tests) or
 * as {@link SpanFields} read straight from protobuf bytes ({@link OtlpProtoReader}); both go through
 * {@link #map(ResourceContext, SpanFields, Caller, long)}. Thread-safe; one instance serves all requests.
 */
public final class SpanMapper {
    private static final byte[] EVENT_ID_NAMESPACE = "agentwatch.otlp.span:".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> digest("MD5"));
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final PriceTable prices;
    private final AttributeFilter allowed;
    private final EventRules rules;

    public SpanMapper(PriceTable prices, AttributeFilter allowed, EventRules rules) {
        this.prices = prices;
        this.allowed = allowed;
        this.rules = rules;
    }

    AttributeFilter allowed() {
        return allowed;
    }

    /** What a resource contributes to the events of its spans; computed once per resource. */
    public ResourceContext resource(Resource resource) {
        ResourceContext r = new ResourceContext();
        AttrValue.OfMessage v = new AttrValue.OfMessage();
        for (KeyValue kv : resource.getAttributesList()) {
            String key = kv.getKey();
            v.set(kv.getValue());
            r.attribute(AttributeKeys.code(key), v);
            if (allowed.allows(key)) {
                r.allowed(key, v);
            }
        }
        return r;
    }

    /** The event for a span message, or why there is none. */
    public Result map(ResourceContext res, Span span, Caller caller, long nowMs) {
        SpanFields f = new SpanFields();
        AttrValue.OfMessage v = new AttrValue.OfMessage();
        for (KeyValue kv : span.getAttributesList()) {
            String key = kv.getKey();
            v.set(kv.getValue());
            f.attribute(AttributeKeys.code(key), v);
            if (allowed.allows(key)) {
                f.allowed(key, v);
            }
        }
        byte[] trace = span.getTraceId().toByteArray();
        byte[] spanId = span.getSpanId().toByteArray();
        byte[] parent = span.getParentSpanId().toByteArray();
        byte[] ids = new byte[trace.length + spanId.length + parent.length];
        System.arraycopy(trace, 0, ids, 0, trace.length);
        System.arraycopy(spanId, 0, ids, trace.length, spanId.length);
        System.arraycopy(parent, 0, ids, trace.length + spanId.length, parent.length);
        f.ids = ids;
        f.traceOff = 0;
        f.traceLen = trace.length;
        f.spanOff = trace.length;
        f.spanLen = spanId.length;
        f.parentOff = trace.length + spanId.length;
        f.parentLen = parent.length;
        f.start = span.getStartTimeUnixNano();
        f.end = span.getEndTimeUnixNano();
        f.statusCode = span.getStatus().getCodeValue();
        f.statusMessage = span.getStatus().getMessage();
        for (Span.Event ev : span.getEventsList()) {
            if (f.exceptionType == null && ev.getName().equals("exception")) {
                for (KeyValue kv : ev.getAttributesList()) {
                    if (kv.getKey().equals("exception.type")) {
                        f.exceptionType = v.set(kv.getValue()).text();
                    }
                }
            }
        }
        return map(res, f, caller, nowMs);
    }

    /** The event for a span's fields, or why there is none. */
    Result map(ResourceContext res, SpanFields f, Caller caller, long nowMs) {
        if (!f.genAi) {
            return Result.IGNORED;
        }
        if (f.problem != null) {
            return Result.rejected(f.problem);
        }
        if (f.traceLen != 16 || allZero(f.ids, f.traceOff, f.traceLen)) {
            return Result.rejected("trace_id: must be 16 bytes and not all zero, was " + f.traceLen + " bytes");
        }
        if (f.spanLen != 8 || allZero(f.ids, f.spanOff, f.spanLen)) {
            return Result.rejected("span_id: must be 8 bytes and not all zero, was " + f.spanLen + " bytes");
        }
        if (f.parentLen != 0 && f.parentLen != 8) {
            return Result.rejected("parent_span_id: must be 8 bytes or empty, was " + f.parentLen + " bytes");
        }
        if (f.start <= 0) {
            return Result.rejected("timestamp: the span has no start time (startTimeUnixNano)");
        }
        String agentId = firstNonEmpty(f.agentId, res.agentId, f.agentName, res.agentName, res.serviceName);
        if (agentId == null) {
            return Result.rejected("agent_id: the span has no gen_ai.agent.id, gen_ai.agent.name or resource service.name");
        }
        String named = f.tenant != null ? f.tenant : res.tenant;
        String violation = caller.tenantViolation(named);
        if (violation != null) {
            return Result.rejected("tenant: " + violation);
        }

        AgentEvent e = new AgentEvent();
        e.setEventId(eventId(f.ids, f.traceOff, f.spanOff));
        e.setTimestamp(Instant.ofEpochMilli(f.start / 1_000_000L));
        e.setAgentId(agentId);
        e.setAgentName(f.agentName != null ? f.agentName : res.agentName);
        e.setAgentVersion(firstNonEmpty(f.agentVersion, res.agentVersion, res.serviceVersion));
        e.setTenant(caller.resolveTenant(named));
        e.setWorkflow(f.workflow != null ? f.workflow : res.workflow);
        e.setSessionId(f.session());
        e.setTraceId(hex(f.ids, f.traceOff, f.traceLen));
        e.setSpanId(hex(f.ids, f.spanOff, f.spanLen));
        e.setParentSpanId(f.parentLen == 0 ? null : hex(f.ids, f.parentOff, f.parentLen));
        e.setOperation(operation(f));
        e.setProvider(f.provider != null ? f.provider : f.system);
        e.setModel(f.requestModel != null ? f.requestModel : f.responseModel);
        status(f, e);
        e.setLatencyMs(f.end >= f.start ? (f.end - f.start) / 1_000_000L : null);
        Long input = f.input();
        Long output = f.output();
        e.setInputTokens(input);
        e.setOutputTokens(output);
        boolean unpriced = false;
        if (f.costUsd != null) {
            e.setCostUsd(f.costUsd);
        } else {
            Double cost = prices.cost(e.getModel(), input, output);
            e.setCostUsd(cost);
            unpriced = cost == null && (input != null || output != null);
        }
        e.setToolName(f.toolName);
        e.setToolArgsHash(f.toolArgsHash != null ? f.toolArgsHash : hashArguments(f.toolArguments));
        e.setRetryCount(f.retryCount);
        e.setIteration(f.iteration);
        e.setMaxIterations(f.maxIterations);
        e.setConfidence(f.confidence);
        e.setOutcome(f.outcome);
        e.setApproval(f.approval);
        e.setAttributes(mergeAttributes(res.attributes, f.attributes));

        String broken = rules.check(e, nowMs);
        if (broken != null) {
            return Result.rejected(broken);
        }
        return new Result(e, null, unpriced);
    }

    /** Version-3 (name-based, MD5) UUID of a namespace, the trace id and the span id: what UUID.nameUUIDFromBytes gives. */
    static String eventId(byte[] ids, int traceOff, int spanOff) {
        MessageDigest md5 = MD5.get();
        md5.update(EVENT_ID_NAMESPACE);
        md5.update(ids, traceOff, 16);
        md5.update(ids, spanOff, 8);
        byte[] d = md5.digest();
        d[6] = (byte) ((d[6] & 0x0f) | 0x30);
        d[8] = (byte) ((d[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (d[i] & 0xff);
            lsb = (lsb << 8) | (d[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    private static Operation operation(SpanFields f) {
        if (f.operationName != null) {
            return operation(f.operationName);
        }
        if (f.toolName != null) {
            return Operation.EXECUTE_TOOL;
        }
        if (f.requestModel != null || f.responseModel != null || f.input() != null || f.output() != null) {
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

    private static void status(SpanFields f, AgentEvent e) {
        boolean failed = f.statusCode == SpanFields.STATUS_ERROR || (f.errorType != null && f.statusCode != SpanFields.STATUS_OK);
        if (!failed) {
            e.setStatus(Status.OK);
            return;
        }
        String type = f.errorType != null ? f.errorType : f.exceptionType;
        e.setErrorType(type);
        e.setStatus(failureKind(type, f.statusMessage));
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
        byte[] d = digest("SHA-256").digest(arguments.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(Arrays.copyOf(d, 16));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    private static boolean allZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Lowercase hex of a range of bytes. */
    static String hex(byte[] b, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int x = b[off + i] & 0xff;
            out[2 * i] = HEX[x >>> 4];
            out[2 * i + 1] = HEX[x & 0x0f];
        }
        return new String(out);
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
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

        void attribute(int code, AttrValue v) {
            switch (code) {
                case AttributeKeys.SERVICE_NAME -> serviceName = v.text();
                case AttributeKeys.SERVICE_VERSION -> serviceVersion = v.text();
                case AttributeKeys.AGENT_ID -> agentId = v.text();
                case AttributeKeys.AGENT_NAME -> agentName = v.text();
                case AttributeKeys.AGENT_VERSION -> agentVersion = v.text();
                case AttributeKeys.WORKFLOW -> workflow = v.text();
                case AttributeKeys.TENANT -> tenant = v.text();
                default -> {
                }
            }
        }

        void allowed(String key, AttrValue v) {
            String s = v.scalar();
            if (s != null) {
                if (attributes.isEmpty()) {
                    attributes = new HashMap<>();
                }
                attributes.put(key, s);
            }
        }
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
}
