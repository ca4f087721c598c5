package io.agentwatch.processor.detect;

import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the cascade detector needs of one span, re-keyed by trace id through the {@code events-by-trace}
 * repartition topic: span and parent span (W3C ids as 64-bit numbers), agent, whether it failed (ERROR or
 * TIMEOUT), event time and operation. About 50 bytes on the wire with its hand-written serde, a sixth of the event.
 *
 * <p>The same topic carries progress markers (see {@link #progress}): an upstream task's event time, sent to every
 * partition so that the cascade detector can tell how far every upstream task has got (its low watermark). A marker
 * is a LineageSpan without agent; it is never a span of a trace.
 *
 * @param spanId       the span id; 16 hex characters are read as their 64 bits, other ids are hashed; for a marker,
 *                     the upstream partition
 * @param parentSpanId the parent's span id the same way; 0 for a root span
 * @param agentId      the agent; null for a progress marker
 */
public record LineageSpan(long spanId, long parentSpanId, String agentId, boolean failed, long timestamp, Operation operation) {

    /** The key of progress markers (they are routed by {@link LineageSpanPartitioner}, not by key). */
    public static final String PROGRESS_KEY = "";

    /** A progress marker: upstream task {@code upstreamPartition} has processed its events up to {@code time}. */
    public static LineageSpan progress(int upstreamPartition, long time) {
        return new LineageSpan(upstreamPartition, 0, null, false, time, null);
    }

    /** Whether this is a progress marker rather than a span. */
    public boolean isProgress() {
        return agentId == null;
    }

    /** The partition of the upstream task that sent this progress marker. */
    public int upstreamPartition() {
        return (int) spanId;
    }

    /** Whether an event matters for lineage: agent runs link agents (a sub-agent's run is a child of its caller's
     *  run), failures are what cascades are made of. Everything else stays on the agent's partition. */
    public static boolean matters(AgentEvent e) {
        if (e.getTraceId() == null || e.getSpanId() == null) {
            return false;
        }
        Status status = e.getStatus();
        return e.getOperation() == Operation.INVOKE_AGENT || status == Status.ERROR || status == Status.TIMEOUT;
    }

    public static LineageSpan of(AgentEvent e, long timestamp) {
        Status status = e.getStatus();
        return new LineageSpan(id(e.getSpanId()), e.getParentSpanId() == null ? 0 : id(e.getParentSpanId()), e.getAgentId(),
                status == Status.ERROR || status == Status.TIMEOUT, timestamp, e.getOperation());
    }

    /** A W3C span id (16 lowercase or uppercase hex characters) as its 64 bits; any other id as a 64-bit FNV-1a hash. */
    static long id(String spanId) {
        int n = spanId.length();
        if (n == 16) {
            long v = 0;
            boolean hex = true;
            for (int i = 0; i < 16 && hex; i++) {
                int d = Character.digit(spanId.charAt(i), 16);
                hex = d >= 0;
                v = (v << 4) | (d & 0xf);
            }
            if (hex) {
                return v;
            }
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : spanId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * The hand-written serde of the repartition topic. Layout 1, a span: version, ids, flags, time, agent (unchanged
     * since the first release, so records already in the topic still decode). Layout 2, a progress marker: version,
     * upstream partition, time (3 to 12 bytes). Any other layout is an error.
     */
    public static final class LineageSpanSerde implements Serde<LineageSpan>, Serializer<LineageSpan>, Deserializer<LineageSpan> {
        private static final Operation[] OPERATIONS = Operation.values();
        private static final byte SPAN_LAYOUT = 1;
        private static final byte PROGRESS_LAYOUT = 2;

        /** Stateless (the topology shares one instance between its stream threads): writes straight into the result. */
        @Override
        public byte[] serialize(String topic, LineageSpan s) {
            if (s == null) {
                return null;
            }
            if (s.isProgress()) {
                byte[] out = new byte[1 + varLongSize(s.spanId) + varLongSize(s.timestamp)];
                out[0] = PROGRESS_LAYOUT;
                putVarLong(out, putVarLong(out, 1, s.spanId), s.timestamp);
                return out;
            }
            byte[] agent = s.agentId.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[18 + varLongSize(s.timestamp) + varLongSize(agent.length) + agent.length];
            out[0] = SPAN_LAYOUT;
            putFixed(out, 1, s.spanId);
            putFixed(out, 9, s.parentSpanId);
            out[17] = (byte) ((s.failed ? 0x80 : 0) | s.operation.ordinal());
            int pos = putVarLong(out, 18, s.timestamp);
            pos = putVarLong(out, pos, agent.length);
            System.arraycopy(agent, 0, out, pos, agent.length);
            return out;
        }

        private static void putFixed(byte[] out, int pos, long v) {
            for (int i = 0; i < 8; i++) {
                out[pos + i] = (byte) (v >>> (8 * i));
            }
        }

        /** Zig-zag varint, as ByteSink writes and ByteReader reads it. */
        private static int putVarLong(byte[] out, int pos, long v) {
            long n = (v << 1) ^ (v >> 63);
            while ((n & ~0x7FL) != 0) {
                out[pos++] = (byte) ((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out[pos++] = (byte) n;
            return pos;
        }

        private static int varLongSize(long v) {
            long n = (v << 1) ^ (v >> 63);
            int size = 1;
            while ((n & ~0x7FL) != 0) {
                size++;
                n >>>= 7;
            }
            return size;
        }

        @Override
        public LineageSpan deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == PROGRESS_LAYOUT) {
                ByteReader in = new ByteReader(bytes, 1, bytes.length - 1);
                int upstream = in.varInt();
                return progress(upstream, in.varLong());
            }
            if (bytes.length == 0 || bytes[0] != SPAN_LAYOUT) {
                throw new IllegalStateException("unknown lineage span layout " + (bytes.length == 0 ? "(empty)" : bytes[0]));
            }
            ByteReader in = new ByteReader(bytes, 1, bytes.length - 1);
            long span = in.fixedLong();
            long parent = in.fixedLong();
            int flags = bytes[17] & 0xff;
            ByteReader rest = new ByteReader(bytes, 18, bytes.length - 18);
            long ts = rest.varLong();
            String agent = rest.string();
            int op = flags & 0x7f;
            return new LineageSpan(span, parent, agent, (flags & 0x80) != 0, ts, op < OPERATIONS.length ? OPERATIONS[op] : Operation.OTHER);
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
        }

        @Override
        public void close() {
        }

        @Override
        public Serializer<LineageSpan> serializer() {
            return this;
        }

        @Override
        public Deserializer<LineageSpan> deserializer() {
            return this;
        }
    }
}
