package io.agentwatch.gateway.otlp;

import static io.agentwatch.gateway.otlp.AttributeKeys.*;

import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Outcome;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the mapping needs from one span, filled either from a {@code Span} message or straight from the bytes of a
 * protobuf request. Reusable: {@link #reset()} before each span.
 */
final class SpanFields {
    static final int STATUS_UNSET = 0;
    static final int STATUS_OK = 1;
    static final int STATUS_ERROR = 2;

    byte[] ids;
    int traceOff;
    int traceLen;
    int spanOff;
    int spanLen;
    int parentOff;
    int parentLen;
    long start;
    long end;
    int statusCode;
    String statusMessage;
    String exceptionType;

    boolean genAi;
    String problem;
    String operationName;
    String agentId;
    String agentName;
    String agentVersion;
    String sessionId;
    String fallbackSessionId;
    String workflow;
    String provider;
    String system;
    String requestModel;
    String responseModel;
    Long inputTokens;
    Long promptTokens;
    Long outputTokens;
    Long completionTokens;
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

    void reset() {
        ids = null;
        traceOff = traceLen = spanOff = spanLen = parentOff = parentLen = 0;
        start = end = 0;
        statusCode = STATUS_UNSET;
        statusMessage = null;
        exceptionType = null;
        genAi = false;
        problem = null;
        operationName = agentId = agentName = agentVersion = sessionId = fallbackSessionId = workflow = null;
        provider = system = requestModel = responseModel = null;
        inputTokens = promptTokens = outputTokens = completionTokens = null;
        toolName = toolArguments = errorType = null;
        costUsd = null;
        retryCount = iteration = maxIterations = null;
        confidence = null;
        outcome = null;
        approval = null;
        toolArgsHash = tenant = null;
        attributes = Collections.emptyMap();
    }

    /** Reads one known attribute (by its code); a malformed value is remembered as the span's first problem. */
    void attribute(int code, AttrValue v) {
        String p = null;
        switch (code) {
            case OPERATION_NAME -> {
                operationName = v.text();
                genAi = true;
            }
            case AGENT_ID -> {
                agentId = v.text();
                genAi = true;
            }
            case AGENT_NAME -> {
                agentName = v.text();
                genAi = true;
            }
            case AGENT_VERSION -> {
                agentVersion = v.text();
                genAi = true;
            }
            case CONVERSATION_ID -> sessionId = v.text();
            case SESSION_ID -> fallbackSessionId = v.text();
            case WORKFLOW -> workflow = v.text();
            case PROVIDER -> {
                provider = v.text();
                genAi = true;
            }
            case SYSTEM -> {
                system = v.text();
                genAi = true;
            }
            case REQUEST_MODEL -> {
                requestModel = v.text();
                genAi = true;
            }
            case RESPONSE_MODEL -> {
                responseModel = v.text();
                genAi = true;
            }
            case INPUT_TOKENS -> {
                genAi = true;
                inputTokens = v.integer();
                p = inputTokens == null ? notAnInteger(code, v) : null;
            }
            case PROMPT_TOKENS -> {
                genAi = true;
                promptTokens = v.integer();
                p = promptTokens == null ? notAnInteger(code, v) : null;
            }
            case OUTPUT_TOKENS -> {
                genAi = true;
                outputTokens = v.integer();
                p = outputTokens == null ? notAnInteger(code, v) : null;
            }
            case COMPLETION_TOKENS -> {
                genAi = true;
                completionTokens = v.integer();
                p = completionTokens == null ? notAnInteger(code, v) : null;
            }
            case TOOL_NAME -> {
                toolName = v.text();
                genAi = true;
            }
            case TOOL_ARGUMENTS -> {
                toolArguments = v.text();
                genAi = true;
            }
            case ERROR_TYPE -> errorType = v.text();
            case COST_USD -> {
                genAi = true;
                costUsd = v.decimal();
                p = costUsd == null ? notANumber(code, v) : null;
            }
            case RETRY_COUNT -> {
                genAi = true;
                retryCount = v.int32();
                p = retryCount == null ? notAnInteger(code, v) : null;
            }
            case ITERATION -> {
                genAi = true;
                iteration = v.int32();
                p = iteration == null ? notAnInteger(code, v) : null;
            }
            case MAX_ITERATIONS -> {
                genAi = true;
                maxIterations = v.int32();
                p = maxIterations == null ? notAnInteger(code, v) : null;
            }
            case CONFIDENCE -> {
                genAi = true;
                confidence = v.decimal();
                p = confidence == null ? notANumber(code, v) : null;
            }
            case OUTCOME -> {
                genAi = true;
                String s = v.text();
                outcome = s == null ? null : symbol(Outcome.class, s);
                p = s != null && outcome == null ? unknownSymbol(code, s, Outcome.values()) : null;
            }
            case APPROVAL -> {
                genAi = true;
                String s = v.text();
                approval = s == null ? null : symbol(Approval.class, s);
                p = s != null && approval == null ? unknownSymbol(code, s, Approval.values()) : null;
            }
            case TOOL_ARGS_HASH -> {
                genAi = true;
                toolArgsHash = v.text();
            }
            case TENANT -> tenant = v.text();
            case GEN_AI_OTHER -> genAi = true;
            default -> {
            }
        }
        if (p != null && problem == null) {
            problem = p;
        }
    }

    /** Keeps an allow-listed attribute (scalars only). */
    void allowed(String key, AttrValue v) {
        String s = v.scalar();
        if (s != null) {
            if (attributes.isEmpty()) {
                attributes = new HashMap<>();
            }
            attributes.put(key, s);
        }
    }

    String session() {
        return sessionId != null ? sessionId : fallbackSessionId;
    }

    Long input() {
        return inputTokens != null ? inputTokens : promptTokens;
    }

    Long output() {
        return outputTokens != null ? outputTokens : completionTokens;
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

    private static String notAnInteger(int code, AttrValue v) {
        return NAMES[code] + ": expected an integer, got " + v.describe();
    }

    private static String notANumber(int code, AttrValue v) {
        return NAMES[code] + ": expected a number, got " + v.describe();
    }

    private static String unknownSymbol(int code, String value, Enum<?>[] symbols) {
        return NAMES[code] + ": unknown value '" + AttrValue.abbreviate(value) + "', expected one of " + Arrays.toString(symbols);
    }
}
