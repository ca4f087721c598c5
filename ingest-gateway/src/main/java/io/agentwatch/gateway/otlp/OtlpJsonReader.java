package io.agentwatch.gateway.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads an OTLP/JSON trace export request as the OTLP specification defines its JSON encoding, which is not
 * protobuf's canonical JSON mapping: trace and span ids are hex strings (protobuf's mapping would use base64),
 * enum values are integers (their names are accepted too), 64-bit integers may be JSON numbers or strings,
 * field names are lowerCamelCase (the proto's snake_case names are accepted too), and fields with unknown names
 * are ignored. For senders that use protobuf's mapping anyway, an id that is not hex but is base64 of the right
 * length (16 bytes for a trace id, 8 for a span id) is accepted.
 *
 * <p>A streaming parser builds the protobuf messages directly, so both encodings reach the same mapping code.
 */
public final class OtlpJsonReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    private static final int MAX_ANY_VALUE_DEPTH = 16;

    private OtlpJsonReader() {
    }

    public static ExportTraceServiceRequest read(byte[] body) throws OtlpDecodeException {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new OtlpDecodeException("an OTLP/JSON request is a JSON object with \"resourceSpans\"");
            }
            ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
            int resourceIndex = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = normalized(p);
                JsonToken t = p.nextToken();
                if (name.equals("resourcespans") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        request.addResourceSpans(resourceSpans(p, "resourceSpans[" + resourceIndex++ + "]"));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new OtlpDecodeException("unexpected content after the request object");
            }
            return request.build();
        } catch (JsonParseException e) {
            throw new OtlpDecodeException("malformed JSON: " + e.getOriginalMessage() + " at " + location(e), e);
        } catch (IOException e) {
            throw new OtlpDecodeException("cannot read the JSON body: " + e.getMessage(), e);
        }
    }

    private static String location(JsonParseException e) {
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static ResourceSpans resourceSpans(JsonParser p, String path) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        ResourceSpans.Builder b = ResourceSpans.newBuilder();
        int scopeIndex = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "resource" -> b.setResource(resource(p, path + ".resource"));
                case "scopespans" -> {
                    expectArray(p, path + ".scopeSpans");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        b.addScopeSpans(scopeSpans(p, path + ".scopeSpans[" + scopeIndex++ + "]"));
                    }
                }
                case "schemaurl" -> b.setSchemaUrl(string(p, path + ".schemaUrl"));
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private static Resource resource(JsonParser p, String path) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        Resource.Builder b = Resource.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "attributes" -> attributes(p, path + ".attributes", b::addAttributes);
                case "droppedattributescount" -> b.setDroppedAttributesCount((int) integer(p, path + ".droppedAttributesCount"));
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private static ScopeSpans scopeSpans(JsonParser p, String path) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        ScopeSpans.Builder b = ScopeSpans.newBuilder();
        int spanIndex = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "scope" -> b.setScope(scope(p, path + ".scope"));
                case "spans" -> {
                    expectArray(p, path + ".spans");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        b.addSpans(span(p, path + ".spans[" + spanIndex++ + "]"));
                    }
                }
                case "schemaurl" -> b.setSchemaUrl(string(p, path + ".schemaUrl"));
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private static InstrumentationScope scope(JsonParser p, String path) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "name" -> b.setName(string(p, path + ".name"));
                case "version" -> b.setVersion(string(p, path + ".version"));
                case "attributes" -> attributes(p, path + ".attributes", b::addAttributes);
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private static Span span(JsonParser p, String path) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        Span.Builder b = Span.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "traceid" -> b.setTraceId(id(p, path + ".traceId", 16));
                case "spanid" -> b.setSpanId(id(p, path + ".spanId", 8));
                case "parentspanid" -> b.setParentSpanId(id(p, path + ".parentSpanId", 8));
                case "tracestate" -> b.setTraceState(string(p, path + ".traceState"));
                case "name" -> b.setName(string(p, path + ".name"));
                case "kind" -> b.setKindValue(enumValue(p, path + ".kind", "SPAN_KIND_", Span.SpanKind.class));
                case "starttimeunixnano" -> b.setStartTimeUnixNano(integer(p, path + ".startTimeUnixNano"));
                case "endtimeunixnano" -> b.setEndTimeUnixNano(integer(p, path + ".endTimeUnixNano"));
                case "attributes" -> attributes(p, path + ".attributes", b::addAttributes);
                case "droppedattributescount" -> b.setDroppedAttributesCount((int) integer(p, path + ".droppedAttributesCount"));
                case "events" -> events(p, path + ".events", b);
                case "status" -> b.setStatus(status(p, path + ".status"));
                case "flags" -> b.setFlags((int) integer(p, path + ".flags"));
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private static void events(JsonParser p, String path, Span.Builder span) throws IOException, OtlpDecodeException {
        expectArray(p, path);
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String eventPath = path + "[" + index++ + "]";
            expectObject(p, eventPath);
            Span.Event.Builder b = Span.Event.newBuilder();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = normalized(p);
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "name" -> b.setName(string(p, eventPath + ".name"));
                    case "timeunixnano" -> b.setTimeUnixNano(integer(p, eventPath + ".timeUnixNano"));
                    case "attributes" -> attributes(p, eventPath + ".attributes", b::addAttributes);
                    default -> p.skipChildren();
                }
            }
            span.addEvents(b);
        }
    }

    private static Status status(JsonParser p, String path) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        Status.Builder b = Status.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "code" -> b.setCodeValue(enumValue(p, path + ".code", "STATUS_CODE_", Status.StatusCode.class));
                case "message" -> b.setMessage(string(p, path + ".message"));
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private interface KeyValueSink {
        void add(KeyValue kv);
    }

    private static void attributes(JsonParser p, String path, KeyValueSink sink) throws IOException, OtlpDecodeException {
        expectArray(p, path);
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            sink.add(keyValue(p, path + "[" + index++ + "]", 0));
        }
    }

    private static KeyValue keyValue(JsonParser p, String path, int depth) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        KeyValue.Builder b = KeyValue.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "key" -> b.setKey(string(p, path + ".key"));
                case "value" -> b.setValue(anyValue(p, path + ".value", depth));
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    private static AnyValue anyValue(JsonParser p, String path, int depth) throws IOException, OtlpDecodeException {
        expectObject(p, path);
        if (depth > MAX_ANY_VALUE_DEPTH) {
            throw new OtlpDecodeException(path + ": attribute values nested deeper than " + MAX_ANY_VALUE_DEPTH);
        }
        AnyValue.Builder b = AnyValue.newBuilder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = normalized(p);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "stringvalue" -> b.setStringValue(string(p, path + ".stringValue"));
                case "boolvalue" -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw new OtlpDecodeException(path + ".boolValue: expected true or false");
                    }
                    b.setBoolValue(t == JsonToken.VALUE_TRUE);
                }
                case "intvalue" -> b.setIntValue(integer(p, path + ".intValue"));
                case "doublevalue" -> b.setDoubleValue(decimal(p, path + ".doubleValue"));
                case "bytesvalue" -> b.setBytesValue(base64(p, path + ".bytesValue"));
                case "arrayvalue" -> {
                    expectObject(p, path + ".arrayValue");
                    ArrayValue.Builder array = ArrayValue.newBuilder();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = normalized(p);
                        JsonToken it = p.nextToken();
                        if (inner.equals("values") && it == JsonToken.START_ARRAY) {
                            int i = 0;
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                array.addValues(anyValue(p, path + ".arrayValue.values[" + i++ + "]", depth + 1));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    b.setArrayValue(array);
                }
                case "kvlistvalue" -> {
                    expectObject(p, path + ".kvlistValue");
                    KeyValueList.Builder list = KeyValueList.newBuilder();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = normalized(p);
                        JsonToken it = p.nextToken();
                        if (inner.equals("values") && it == JsonToken.START_ARRAY) {
                            int i = 0;
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                list.addValues(keyValue(p, path + ".kvlistValue.values[" + i++ + "]", depth + 1));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    b.setKvlistValue(list);
                }
                default -> p.skipChildren();
            }
        }
        return b.build();
    }

    /** Field names compared without case and underscores: {@code traceId} and {@code trace_id} are the same field. */
    private static String normalized(JsonParser p) throws IOException {
        String name = p.currentName();
        if (name.indexOf('_') < 0) {
            return name.toLowerCase(Locale.ROOT);
        }
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static void expectObject(JsonParser p, String path) throws OtlpDecodeException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new OtlpDecodeException(path + ": expected an object, got " + describe(p.currentToken()));
        }
    }

    private static void expectArray(JsonParser p, String path) throws OtlpDecodeException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new OtlpDecodeException(path + ": expected an array, got " + describe(p.currentToken()));
        }
    }

    private static String string(JsonParser p, String path) throws IOException, OtlpDecodeException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new OtlpDecodeException(path + ": expected a string, got " + describe(p.currentToken()));
        }
        return p.getText();
    }

    /** int64/uint64/int32 fields: a JSON number or a string of digits (the OTLP spec allows both). */
    private static long integer(JsonParser p, String path) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getValueAsLong();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT && p.getDoubleValue() == Math.rint(p.getDoubleValue())) {
            return (long) p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                try {
                    return Long.parseUnsignedLong(s);
                } catch (NumberFormatException e2) {
                    throw new OtlpDecodeException(path + ": '" + abbreviate(s) + "' is not an integer");
                }
            }
        }
        throw new OtlpDecodeException(path + ": expected an integer, got " + describe(t));
    }

    private static double decimal(JsonParser p, String path) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw new OtlpDecodeException(path + ": '" + abbreviate(s) + "' is not a number");
                    }
            }
        }
        throw new OtlpDecodeException(path + ": expected a number, got " + describe(t));
    }

    /** An enum as its integer value, or as its name with or without the prefix ({@code 2}, {@code SPAN_KIND_SERVER}, {@code SERVER}). */
    private static <E extends Enum<E> & com.google.protobuf.ProtocolMessageEnum> int enumValue(
            JsonParser p, String path, String prefix, Class<E> type) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim().toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (!e.name().equals("UNRECOGNIZED") && (e.name().equals(s) || e.name().equals(prefix + s))) {
                    return e.getNumber();
                }
            }
            throw new OtlpDecodeException(path + ": unknown value '" + abbreviate(p.getText()) + "'");
        }
        throw new OtlpDecodeException(path + ": expected an enum value (integer), got " + describe(t));
    }

    /** A trace or span id: hex per the OTLP spec; base64 of the right length is tolerated. */
    private static ByteString id(JsonParser p, String path, int expectedBytes) throws IOException, OtlpDecodeException {
        String s = string(p, path);
        if (s.isEmpty()) {
            return ByteString.EMPTY;
        }
        byte[] bytes = Hex.decode(s);
        if (bytes == null && s.length() != expectedBytes * 2) {
            try {
                byte[] decoded = Base64.getDecoder().decode(s);
                if (decoded.length == expectedBytes) {
                    bytes = decoded;
                }
            } catch (IllegalArgumentException ignored) {
                // neither hex nor base64: reported below
            }
        }
        if (bytes == null) {
            throw new OtlpDecodeException(path + ": '" + abbreviate(s) + "' is not a hex id (" + expectedBytes * 2 + " hex digits)");
        }
        return ByteString.copyFrom(bytes);
    }

    private static ByteString base64(JsonParser p, String path) throws IOException, OtlpDecodeException {
        String s = string(p, path);
        try {
            return ByteString.copyFrom(Base64.getMimeDecoder().decode(s));
        } catch (IllegalArgumentException e) {
            throw new OtlpDecodeException(path + ": not base64");
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
