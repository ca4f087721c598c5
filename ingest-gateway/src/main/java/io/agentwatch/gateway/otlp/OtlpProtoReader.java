package io.agentwatch.gateway.otlp;

import io.agentwatch.gateway.auth.TenantAuth.Caller;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a binary OTLP trace export request straight from its bytes into {@link SpanFields}, one span at a time,
 * without building the protobuf message objects: only the fields the mapping uses are decoded, attribute keys are
 * matched as bytes, and only the values of known or allow-listed keys become Strings. This is the gateway's hot
 * path (measured: building the messages and then reading their attributes was about half of a request's CPU).
 * {@code SpanMapperEquivalenceTest} checks that it maps every span exactly as the message path does.
 *
 * <p>Field numbers are those of opentelemetry/proto/collector/trace/v1 and trace/v1 (v1.x): ExportTraceServiceRequest
 * 1 resource_spans; ResourceSpans 1 resource, 2 scope_spans; Resource 1 attributes; ScopeSpans 2 spans; Span 1
 * trace_id, 2 span_id, 4 parent_span_id, 7 start (fixed64), 8 end (fixed64), 9 attributes, 11 events, 15 status;
 * Event 2 name, 3 attributes; Status 2 message, 3 code; KeyValue 1 key, 2 value; AnyValue 1 string, 2 bool,
 * 3 int, 4 double, 5 array, 6 kvlist, 7 bytes.
 */
public final class OtlpProtoReader {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;
    private static final byte[] EXCEPTION = "exception".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXCEPTION_TYPE = "exception.type".getBytes(StandardCharsets.US_ASCII);

    /** Receives the outcome of every span, in order. */
    public interface SpanSink {
        /**
         * @param result    the span's outcome
         * @param spanIdHex the span id, only given for a rejected span (for the error message); else null
         */
        void accept(SpanMapper.Result result, String spanIdHex);
    }

    private final SpanMapper mapper;
    private final Caller caller;
    private final long nowMs;
    private final SpanSink sink;
    private final SpanFields fields = new SpanFields();
    private final AttrValue.OfBytes value = new AttrValue.OfBytes();
    private byte[] b;
    private int pos;

    private OtlpProtoReader(SpanMapper mapper, Caller caller, long nowMs, SpanSink sink) {
        this.mapper = mapper;
        this.caller = caller;
        this.nowMs = nowMs;
        this.sink = sink;
    }

    /** Maps every span of the request and hands each outcome to the sink; an exception for bytes that are not a request. */
    public static void read(byte[] body, SpanMapper mapper, Caller caller, long nowMs, SpanSink sink) throws OtlpDecodeException {
        OtlpProtoReader r = new OtlpProtoReader(mapper, caller, nowMs, sink);
        r.b = body;
        r.pos = 0;
        try {
            r.request(body.length);
        } catch (Malformed e) {
            throw new OtlpDecodeException(e.getMessage());
        }
    }

    private void request(int end) {
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 1 && wireType(tag) == LEN) {
                int len = length(end);
                int start = pos;
                resourceSpans(start, start + len);
                pos = start + len;
            } else {
                skip(tag, end);
            }
        }
    }

    private void resourceSpans(int start, int end) {
        SpanMapper.ResourceContext resource = new SpanMapper.ResourceContext();
        // the resource first, wherever it sits in the message, then the spans
        pos = start;
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 1 && wireType(tag) == LEN) {
                int len = length(end);
                int fieldEnd = pos + len;
                while (pos < fieldEnd) {
                    int t = tag(fieldEnd);
                    if (field(t) == 1 && wireType(t) == LEN) {
                        int l = length(fieldEnd);
                        keyValue(pos + l, null, resource);
                    } else {
                        skip(t, fieldEnd);
                    }
                }
            } else {
                skip(tag, end);
            }
        }
        pos = start;
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 2 && wireType(tag) == LEN) {
                int len = length(end);
                scopeSpans(pos + len, resource);
            } else {
                skip(tag, end);
            }
        }
    }

    private void scopeSpans(int end, SpanMapper.ResourceContext resource) {
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 2 && wireType(tag) == LEN) {
                int len = length(end);
                span(pos + len, resource);
            } else {
                skip(tag, end);
            }
        }
    }

    private void span(int end, SpanMapper.ResourceContext resource) {
        SpanFields f = fields;
        f.reset();
        f.ids = b;
        while (pos < end) {
            int tag = tag(end);
            int field = field(tag);
            int type = wireType(tag);
            if (type == LEN && (field == 1 || field == 2 || field == 4 || field == 9 || field == 11 || field == 15)) {
                int len = length(end);
                switch (field) {
                    case 1 -> {
                        f.traceOff = pos;
                        f.traceLen = len;
                        pos += len;
                    }
                    case 2 -> {
                        f.spanOff = pos;
                        f.spanLen = len;
                        pos += len;
                    }
                    case 4 -> {
                        f.parentOff = pos;
                        f.parentLen = len;
                        pos += len;
                    }
                    case 9 -> keyValue(pos + len, f, null);
                    case 11 -> event(pos + len, f);
                    default -> status(pos + len, f);
                }
            } else if (type == FIXED64 && field == 7) {
                f.start = fixed64(end);
            } else if (type == FIXED64 && field == 8) {
                f.end = fixed64(end);
            } else {
                skip(tag, end);
            }
        }
        SpanMapper.Result result = mapper.map(resource, f, caller, nowMs);
        sink.accept(result, result.rejection() == null ? null : SpanMapper.hex(b, f.spanOff, f.spanLen));
    }

    private void status(int end, SpanFields f) {
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 2 && wireType(tag) == LEN) {
                int len = length(end);
                f.statusMessage = new String(b, pos, len, StandardCharsets.UTF_8);
                pos += len;
            } else if (field(tag) == 3 && wireType(tag) == VARINT) {
                f.statusCode = (int) varint(end);
            } else {
                skip(tag, end);
            }
        }
    }

    /** Only an "exception" event's exception.type is of use (the error type when the span has no error.type). */
    private void event(int end, SpanFields f) {
        boolean exception = false;
        int start = pos;
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 2 && wireType(tag) == LEN) {
                int len = length(end);
                exception = len == EXCEPTION.length && Arrays.equals(EXCEPTION, 0, len, b, pos, pos + len);
                pos += len;
            } else {
                skip(tag, end);
            }
        }
        if (!exception || f.exceptionType != null) {
            return;
        }
        pos = start;
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 3 && wireType(tag) == LEN) {
                int len = length(end);
                int kvEnd = pos + len;
                int keyOff = -1;
                int keyLen = 0;
                String text = null;
                while (pos < kvEnd) {
                    int t = tag(kvEnd);
                    if (field(t) == 1 && wireType(t) == LEN) {
                        keyLen = length(kvEnd);
                        keyOff = pos;
                        pos += keyLen;
                    } else if (field(t) == 2 && wireType(t) == LEN) {
                        int l = length(kvEnd);
                        anyValue(pos + l);
                        text = value.text();
                    } else {
                        skip(t, kvEnd);
                    }
                }
                if (keyOff >= 0 && keyLen == EXCEPTION_TYPE.length && Arrays.equals(EXCEPTION_TYPE, 0, keyLen, b, keyOff, keyOff + keyLen)) {
                    f.exceptionType = text;
                }
            } else {
                skip(tag, end);
            }
        }
    }

    /** A KeyValue: into the span's fields, or (span null) into the resource context. */
    private void keyValue(int end, SpanFields span, SpanMapper.ResourceContext resource) {
        int keyOff = -1;
        int keyLen = 0;
        int valueStart = -1;
        int valueEnd = -1;
        while (pos < end) {
            int tag = tag(end);
            if (field(tag) == 1 && wireType(tag) == LEN) {
                keyLen = length(end);
                keyOff = pos;
                pos += keyLen;
            } else if (field(tag) == 2 && wireType(tag) == LEN) {
                int len = length(end);
                valueStart = pos;
                valueEnd = pos + len;
                pos += len;
            } else {
                skip(tag, end);
            }
        }
        if (keyOff < 0) {
            return;
        }
        int code = AttributeKeys.code(b, keyOff, keyLen);
        boolean allowed = mapper.allowed().allows(b, keyOff, keyLen);
        if (code == AttributeKeys.NONE && !allowed) {
            return;
        }
        value.reset();
        if (valueStart >= 0) {
            int after = pos;
            pos = valueStart;
            anyValue(valueEnd);
            pos = after;
        }
        if (span != null) {
            span.attribute(code, value);
            if (allowed) {
                span.allowed(new String(b, keyOff, keyLen, StandardCharsets.UTF_8), value);
            }
        } else {
            resource.attribute(code, value);
            if (allowed) {
                resource.allowed(new String(b, keyOff, keyLen, StandardCharsets.UTF_8), value);
            }
        }
    }

    private void anyValue(int end) {
        AttrValue.OfBytes v = value;
        v.reset();
        while (pos < end) {
            int tag = tag(end);
            int field = field(tag);
            int type = wireType(tag);
            if (field == 1 && type == LEN) {
                int len = length(end);
                v.setString(b, pos, len);
                pos += len;
            } else if (field == 2 && type == VARINT) {
                v.kind = AttrValue.BOOL;
                v.longValue = varint(end);
            } else if (field == 3 && type == VARINT) {
                v.kind = AttrValue.INT;
                v.longValue = varint(end);
            } else if (field == 4 && type == FIXED64) {
                v.kind = AttrValue.DOUBLE;
                v.doubleValue = Double.longBitsToDouble(fixed64(end));
            } else if ((field == 5 || field == 6 || field == 7) && type == LEN) {
                int len = length(end);
                v.kind = field == 5 ? AttrValue.ARRAY : field == 6 ? AttrValue.MAP : AttrValue.BYTES;
                pos += len;
            } else {
                skip(tag, end);
            }
        }
    }

    private static int field(int tag) {
        return tag >>> 3;
    }

    private static int wireType(int tag) {
        return tag & 7;
    }

    private int tag(int end) {
        int tag = (int) varint(end);
        if (tag == 0 || field(tag) == 0) {
            throw new Malformed("invalid protobuf tag at byte " + pos);
        }
        return tag;
    }

    /** A length prefix, checked against the end of the enclosing message. */
    private int length(int end) {
        long len = varint(end);
        if (len < 0 || len > end - pos) {
            throw new Malformed("truncated protobuf: a field of " + len + " bytes at byte " + pos + " runs past its message");
        }
        return (int) len;
    }

    private long varint(int end) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new Malformed("truncated protobuf varint at byte " + pos);
            }
            byte x = b[pos++];
            result |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return result;
            }
        }
        throw new Malformed("malformed protobuf varint at byte " + pos);
    }

    private long fixed64(int end) {
        if (end - pos < 8) {
            throw new Malformed("truncated protobuf fixed64 at byte " + pos);
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    private void skip(int tag, int end) {
        switch (wireType(tag)) {
            case VARINT -> varint(end);
            case FIXED64 -> {
                if (end - pos < 8) {
                    throw new Malformed("truncated protobuf fixed64 at byte " + pos);
                }
                pos += 8;
            }
            case LEN -> {
                int len = length(end);
                pos += len;
            }
            case FIXED32 -> {
                if (end - pos < 4) {
                    throw new Malformed("truncated protobuf fixed32 at byte " + pos);
                }
                pos += 4;
            }
            default -> throw new Malformed("unsupported protobuf wire type " + wireType(tag) + " at byte " + pos);
        }
    }

    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
