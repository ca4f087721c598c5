package io.agentwatch.processor.detect;

import io.agentwatch.processor.state.ByteReader;
import io.agentwatch.schema.serde.ByteSink;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The cascades an agent is downstream of, as {@link RecordCascadeCausesProcessor} keeps them in
 * {@code cascade-causes-store} (agent id -> fingerprint of the CascadeFailure alert, until when it applies, root
 * cause agent). The per-agent detectors ask it when an incident starts FIRING, and mark the alert
 * {@code caused_by} that fingerprint, so that the sink can hold it back while the root-cause alert is firing.
 * Read only at FIRING time: a store read per new incident, nothing per event.
 */
public final class CascadeCauses {
    private final ReadOnlyKeyValueStore<String, byte[]> store;

    public CascadeCauses(ReadOnlyKeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The fingerprint of the cascade the agent is downstream of at event time {@code now}, or null. */
    public String causeOf(String agentId, long now) {
        if (store == null || agentId == null) {
            return null;
        }
        byte[] bytes = store.get(agentId);
        if (bytes == null) {
            return null;
        }
        Cause c = Cause.decode(bytes);
        return now >= c.from() && now <= c.until() ? c.fingerprint() : null;
    }

    /**
     * One agent's cause: the cascade alert's fingerprint, the event-time span in which the agent's new incidents
     * are attributed to it, and the root-cause agent.
     */
    public record Cause(String fingerprint, long from, long until, String rootCauseAgentId) {
        public byte[] encode() {
            ByteSink out = new ByteSink(64);
            out.varLong(1); // layout version
            out.string(fingerprint);
            out.varLong(from);
            out.varLong(until - from);
            out.string(rootCauseAgentId);
            return out.toByteArray();
        }

        public static Cause decode(byte[] bytes) {
            ByteReader in = new ByteReader(bytes);
            long version = in.varLong();
            if (version != 1) {
                throw new IllegalStateException("unknown cascade cause layout " + version);
            }
            String fingerprint = in.string();
            long from = in.varLong();
            long until = from + in.varLong();
            return new Cause(fingerprint, from, until, in.string());
        }
    }

    /** Writes (or replaces) an agent's cause. */
    static void record(KeyValueStore<String, byte[]> store, String agentId, Cause cause) {
        store.put(agentId, cause.encode());
    }
}
