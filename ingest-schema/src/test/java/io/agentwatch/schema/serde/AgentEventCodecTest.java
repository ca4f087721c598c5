package io.agentwatch.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Approval;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.SampleEvents;
import io.agentwatch.schema.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The hand-written AgentEvent codec must be indistinguishable from Avro's own encoder and reader. */
class AgentEventCodecTest {
    private final AgentEventCodec codec = new AgentEventCodec();

    @Test
    void implementsTheCurrentSchema() {
        assertThat(AgentEventCodec.SCHEMA_FINGERPRINT)
                .as("AgentEvent.avsc changed: update AgentEventCodec (decode and encode) and its SCHEMA_FINGERPRINT")
                .isEqualTo(SchemaNormalization.parsingFingerprint64(AgentEvent.getClassSchema()));
    }

    @Test
    void encodesByteForByteLikeAvroAndDecodesWhatAvroWrites() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            AgentEvent event = randomEvent(random);
            byte[] avro = avroEncode(event);

            ByteSink sink = new ByteSink(16);
            AgentEventCodec.encode(event, sink);

            assertThat(sink.toByteArray()).as("event %d", i).isEqualTo(avro);
            assertThat(codec.decode(avro, 0, avro.length)).isEqualTo(event);
            assertThat(avroDecode(sink.toByteArray())).isEqualTo(event);
        }
    }

    @Test
    void rejectsEveryTruncationWithATypedError() throws IOException {
        byte[] avro = avroEncode(SampleEvents.chat());
        for (int cut = 0; cut < avro.length; cut++) {
            int len = cut;
            assertThatThrownBy(() -> codec.decode(avro, 0, len)).isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void rejectsAnOutOfRangeEnumOrUnionIndex() throws IOException {
        AgentEvent event = SampleEvents.chat();
        event.setAgentName(null);
        byte[] avro = avroEncode(event);
        byte[] badUnion = avro.clone();
        int agentIdEnd = 1 + event.getEventId().length() + varLongSize(event.getTimestamp().toEpochMilli()) + 1 + event.getAgentId().length();
        badUnion[agentIdEnd] = 6; // union index 3 for agent_name

        assertThatThrownBy(() -> codec.decode(badUnion, 0, badUnion.length)).isInstanceOf(MalformedPayloadException.class);
        byte[] trailing = Arrays.copyOf(avro, avro.length + 1);
        assertThatThrownBy(() -> codec.decode(trailing, 0, trailing.length)).isInstanceOf(MalformedPayloadException.class);
    }

    private static int varLongSize(long v) {
        long n = (v << 1) ^ (v >> 63);
        int size = 1;
        while ((n & ~0x7FL) != 0) {
            n >>>= 7;
            size++;
        }
        return size;
    }

    static AgentEvent randomEvent(SplittableRandom r) {
        AgentEvent e = new AgentEvent();
        e.setEventId("e-" + r.nextLong());
        e.setTimestamp(Instant.ofEpochMilli(r.nextLong(0, 4_000_000_000_000L)));
        e.setAgentId("agent-" + r.nextInt(50) + (r.nextInt(10) == 0 ? "-ünïcødé" : ""));
        e.setAgentName(r.nextBoolean() ? null : "name " + r.nextInt(5));
        e.setAgentVersion(r.nextBoolean() ? null : "v" + r.nextInt(3));
        e.setTenant(r.nextBoolean() ? null : "t" + r.nextInt(3));
        e.setWorkflow(r.nextBoolean() ? null : "wf" + r.nextInt(3));
        e.setSessionId(r.nextBoolean() ? null : "s-" + r.nextLong());
        e.setTraceId(r.nextBoolean() ? null : Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
        e.setSpanId(r.nextBoolean() ? null : Long.toHexString(r.nextLong()));
        e.setParentSpanId(r.nextBoolean() ? null : Long.toHexString(r.nextLong()));
        e.setOperation(Operation.values()[r.nextInt(Operation.values().length)]);
        e.setProvider(r.nextBoolean() ? null : "p" + r.nextInt(3));
        e.setModel(r.nextBoolean() ? null : "m" + r.nextInt(3));
        e.setStatus(Status.values()[r.nextInt(Status.values().length)]);
        e.setErrorType(r.nextBoolean() ? null : "err" + r.nextInt(3));
        e.setLatencyMs(r.nextBoolean() ? null : r.nextLong(0, Long.MAX_VALUE));
        e.setInputTokens(r.nextBoolean() ? null : r.nextLong(0, 1_000_000));
        e.setOutputTokens(r.nextBoolean() ? null : (long) r.nextInt(100_000));
        e.setCostUsd(r.nextBoolean() ? null : r.nextDouble() * 10);
        e.setToolName(r.nextBoolean() ? null : "tool" + r.nextInt(4));
        e.setToolArgsHash(r.nextBoolean() ? null : Long.toHexString(r.nextLong()));
        e.setRetryCount(r.nextBoolean() ? null : r.nextInt(0, 10));
        e.setIteration(r.nextBoolean() ? null : r.nextInt(Integer.MAX_VALUE));
        e.setMaxIterations(r.nextBoolean() ? null : r.nextInt(0, 50));
        e.setConfidence(r.nextBoolean() ? null : r.nextDouble());
        e.setOutcome(r.nextBoolean() ? null : Outcome.values()[r.nextInt(Outcome.values().length)]);
        e.setApproval(r.nextBoolean() ? null : Approval.values()[r.nextInt(Approval.values().length)]);
        Map<String, String> attributes = new HashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            attributes.put("k" + r.nextInt(10), "v" + r.nextInt(10));
        }
        e.setAttributes(attributes);
        return e;
    }

    static byte[] avroEncode(AgentEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(AgentEvent.getClassSchema(), SpecificData.getForClass(AgentEvent.class)).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static AgentEvent avroDecode(byte[] bytes) throws IOException {
        return new SpecificDatumReader<AgentEvent>(AgentEvent.getClassSchema(), AgentEvent.getClassSchema(), SpecificData.getForClass(AgentEvent.class))
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
