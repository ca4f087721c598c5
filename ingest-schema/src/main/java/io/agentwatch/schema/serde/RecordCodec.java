package io.agentwatch.schema.serde;

import io.agentwatch.schema.AgentEvent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A hand-written Avro binary codec for one record class and one exact schema, used by the wire-format serdes in
 * place of Avro's generic machinery when the writer schema is that schema. See {@link AgentEventCodec}.
 */
interface RecordCodec<T> {
    T decode(byte[] buf, int off, int len);

    void encode(T record, ByteSink out);

    /** The codec for the class when one exists and still matches the class's schema, else null. */
    @SuppressWarnings("unchecked")
    static <T> RecordCodec<T> forClass(Class<T> type) {
        if (type == AgentEvent.class && AgentEventCodec.matchesCurrentSchema()) {
            AgentEventCodec codec = new AgentEventCodec();
            return (RecordCodec<T>) new RecordCodec<AgentEvent>() {
                @Override
                public AgentEvent decode(byte[] buf, int off, int len) {
                    return codec.decode(buf, off, len);
                }

                @Override
                public void encode(AgentEvent record, ByteSink out) {
                    AgentEventCodec.encode(record, out);
                }
            };
        }
        return null;
    }

    /** True when data written with {@code writer} has the binary layout of {@code codecSchema}. */
    static boolean sameLayout(Schema writer, Schema codecSchema) {
        return SchemaNormalization.parsingFingerprint64(writer) == SchemaNormalization.parsingFingerprint64(codecSchema);
    }
}
