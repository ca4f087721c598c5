package io.agentwatch.schema.serde;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.SchemaNormalization;

/**
 * A hand-written Avro binary codec for {@link AgentEvent} written with exactly the current schema, the hot path
 * of every consumer of agent.events. Avro's generic resolving reader costs several times more per event; this
 * one walks the bytes once, reuses Strings for low-cardinality fields and checks every length and index, so a
 * corrupt payload gives a typed error, never a half-filled record.
 *
 * <p>It is guarded by {@link #SCHEMA_FINGERPRINT}: the serdes use it only when the schema's parsing fingerprint
 * matches (any other writer schema takes Avro's resolving reader), and a unit test fails when the schema changes
 * without this codec. The same test checks byte-for-byte equality with Avro's own encoder.
 */
public final class AgentEventCodec {
    /** Parsing fingerprint (CRC-64-AVRO) of the AgentEvent schema this codec implements. */
    public static final long SCHEMA_FINGERPRINT = 6149300601466209602L;

    private static final Operation[] OPERATIONS = Operation.values();
    private static final Status[] STATUSES = Status.values();
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final Approval[] APPROVALS = Approval.values();

    private final StringCache cache = new StringCache();

    /** True when this codec implements the current AgentEvent schema. */
    public static boolean matchesCurrentSchema() {
        return SchemaNormalization.parsingFingerprint64(AgentEvent.getClassSchema()) == SCHEMA_FINGERPRINT;
    }

    /** Decodes the Avro bytes in {@code buf[off, off+len)}; every byte must belong to the record. */
    public AgentEvent decode(byte[] buf, int off, int len) {
        Reader r = new Reader(buf, off, off + len, cache);
        AgentEvent e = new AgentEvent();
        e.setEventId(r.string());
        e.setTimestamp(Instant.ofEpochMilli(r.varLong()));
        e.setAgentId(r.cachedString());
        e.setAgentName(r.optionalCachedString());
        e.setAgentVersion(r.optionalCachedString());
        e.setTenant(r.optionalCachedString());
        e.setWorkflow(r.optionalCachedString());
        e.setSessionId(r.optionalString());
        e.setTraceId(r.optionalString());
        e.setSpanId(r.optionalString());
        e.setParentSpanId(r.optionalString());
        e.setOperation(OPERATIONS[r.index(OPERATIONS.length, "operation")]);
        e.setProvider(r.optionalCachedString());
        e.setModel(r.optionalCachedString());
        e.setStatus(STATUSES[r.index(STATUSES.length, "status")]);
        e.setErrorType(r.optionalCachedString());
        e.setLatencyMs(r.optionalLong());
        e.setInputTokens(r.optionalLong());
        e.setOutputTokens(r.optionalLong());
        e.setCostUsd(r.optionalDouble());
        e.setToolName(r.optionalCachedString());
        e.setToolArgsHash(r.optionalString());
        e.setRetryCount(r.optionalInt());
        e.setIteration(r.optionalInt());
        e.setMaxIterations(r.optionalInt());
        e.setConfidence(r.optionalDouble());
        e.setOutcome(r.isNull() ? null : OUTCOMES[r.index(OUTCOMES.length, "outcome")]);
        e.setApproval(r.isNull() ? null : APPROVALS[r.index(APPROVALS.length, "approval")]);
        e.setAttributes(r.stringMap());
        if (r.pos != r.end) {
            throw new MalformedPayloadException("payload has " + (r.end - r.pos) + " bytes left after the AgentEvent record", null);
        }
        return e;
    }

    /** Appends the Avro binary encoding of the event (no wire-format header) to the buffer. */
    public static void encode(AgentEvent e, ByteSink out) {
        out.string(e.getEventId());
        out.varLong(e.getTimestamp().toEpochMilli());
        out.string(e.getAgentId());
        out.optionalString(e.getAgentName());
        out.optionalString(e.getAgentVersion());
        out.optionalString(e.getTenant());
        out.optionalString(e.getWorkflow());
        out.optionalString(e.getSessionId());
        out.optionalString(e.getTraceId());
        out.optionalString(e.getSpanId());
        out.optionalString(e.getParentSpanId());
        out.varLong(e.getOperation().ordinal());
        out.optionalString(e.getProvider());
        out.optionalString(e.getModel());
        out.varLong(e.getStatus().ordinal());
        out.optionalString(e.getErrorType());
        out.optionalLong(e.getLatencyMs());
        out.optionalLong(e.getInputTokens());
        out.optionalLong(e.getOutputTokens());
        out.optionalDouble(e.getCostUsd());
        out.optionalString(e.getToolName());
        out.optionalString(e.getToolArgsHash());
        out.optionalLong(e.getRetryCount() == null ? null : e.getRetryCount().longValue());
        out.optionalLong(e.getIteration() == null ? null : e.getIteration().longValue());
        out.optionalLong(e.getMaxIterations() == null ? null : e.getMaxIterations().longValue());
        out.optionalDouble(e.getConfidence());
        if (e.getOutcome() == null) {
            out.varLong(0);
        } else {
            out.varLong(1);
            out.varLong(e.getOutcome().ordinal());
        }
        if (e.getApproval() == null) {
            out.varLong(0);
        } else {
            out.varLong(1);
            out.varLong(e.getApproval().ordinal());
        }
        Map<String, String> attributes = e.getAttributes();
        if (attributes != null && !attributes.isEmpty()) {
            out.varLong(attributes.size());
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                out.string(a.getKey());
                out.string(a.getValue());
            }
        }
        out.varLong(0);
    }

    /** A bounds-checked cursor over Avro binary data. */
    private static final class Reader {
        private final byte[] buf;
        private final int end;
        private final StringCache cache;
        private int pos;

        Reader(byte[] buf, int pos, int end, StringCache cache) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
            this.cache = cache;
        }

        long varLong() {
            long value = 0;
            int shift = 0;
            while (true) {
                if (pos >= end) {
                    throw truncated();
                }
                int b = buf[pos++] & 0xff;
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (value >>> 1) ^ -(value & 1);
                }
                shift += 7;
                if (shift > 63) {
                    throw new MalformedPayloadException("varint longer than 10 bytes", null);
                }
            }
        }

        int length() {
            long n = varLong();
            if (n < 0) {
                throw new MalformedPayloadException("negative length " + n, null);
            }
            if (n > end - pos) {
                throw truncated();
            }
            return (int) n;
        }

        String string() {
            int n = length();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        String cachedString() {
            int n = length();
            String s = cache.get(buf, pos, n);
            pos += n;
            return s;
        }

        boolean isNull() {
            long branch = varLong();
            if (branch == 0) {
                return true;
            }
            if (branch != 1) {
                throw new MalformedPayloadException("union index " + branch + " out of range", null);
            }
            return false;
        }

        String optionalString() {
            return isNull() ? null : string();
        }

        String optionalCachedString() {
            return isNull() ? null : cachedString();
        }

        Long optionalLong() {
            return isNull() ? null : varLong();
        }

        Integer optionalInt() {
            if (isNull()) {
                return null;
            }
            long v = varLong();
            if (v != (int) v) {
                throw new MalformedPayloadException("int out of range: " + v, null);
            }
            return (int) v;
        }

        Double optionalDouble() {
            if (isNull()) {
                return null;
            }
            if (end - pos < 8) {
                throw truncated();
            }
            long bits = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16 | (buf[pos + 3] & 0xffL) << 24
                    | (buf[pos + 4] & 0xffL) << 32 | (buf[pos + 5] & 0xffL) << 40 | (buf[pos + 6] & 0xffL) << 48 | (buf[pos + 7] & 0xffL) << 56;
            pos += 8;
            return Double.longBitsToDouble(bits);
        }

        int index(int size, String what) {
            long i = varLong();
            if (i < 0 || i >= size) {
                throw new MalformedPayloadException(what + " enum index " + i + " out of range", null);
            }
            return (int) i;
        }

        Map<String, String> stringMap() {
            Map<String, String> map = null;
            while (true) {
                long count = varLong();
                if (count == 0) {
                    return map == null ? new HashMap<>(2) : map;
                }
                if (count < 0) {
                    count = -count;
                    varLong(); // block size in bytes, not needed
                }
                if (count > end - pos) {
                    throw truncated();
                }
                if (map == null) {
                    map = new HashMap<>((int) (count * 4 / 3) + 1);
                }
                for (long i = 0; i < count; i++) {
                    map.put(cachedString(), cachedString());
                }
            }
        }

        private TruncatedPayloadException truncated() {
            return new TruncatedPayloadException("payload ends inside the AgentEvent record", null);
        }
    }
}
