package io.agentwatch.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertScope;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.SampleEvents;
import io.agentwatch.schema.Severity;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.SuggestedAction;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryUnavailableException;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The wire-format serdes against the in-process registry (the real-registry version of these checks is an IT). */
class WireFormatSerdeTest {
    private static final String TOPIC = "agent.events";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(registry, false, true);
    private final AvroWireDeserializer<AgentEvent> deserializer = new AvroWireDeserializer<>(registry, AgentEvent.class);

    @Test
    void shouldRoundTripAnEventThroughTheWireFormat() {
        AgentEvent event = SampleEvents.chat();

        byte[] bytes = serializer.serialize(TOPIC, event);

        assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(registry.idOf("agent.events-value", AgentEvent.getClassSchema()));
        assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void shouldRegisterUnderTheTopicNameStrategySubjectOnce() {
        serializer.serialize(TOPIC, SampleEvents.chat());
        serializer.serialize(TOPIC, SampleEvents.chat());
        serializer.serialize("other.topic", SampleEvents.chat());

        assertThat(registry.subjects()).containsExactly("agent.events-value", "other.topic-value");
    }

    @Test
    void shouldRoundTripAnAlert() {
        AvroWireSerializer<Alert> alertSerializer = new AvroWireSerializer<>(registry, false, true);
        AvroWireDeserializer<Alert> alertDeserializer = new AvroWireDeserializer<>(registry, Alert.class);
        Alert alert = Alert.newBuilder()
                .setAlertId("a-1").setFingerprint("0123456789abcdef").setRuleId("agent-error-rate-high")
                .setAlertname("AgentErrorRateHigh").setStatus(AlertStatus.FIRING).setSeverity(Severity.ERROR)
                .setScope(AlertScope.newBuilder().setAgentId("a").build())
                .setStartsAt(Instant.parse("2026-11-01T12:00:00Z")).setSummary("errors high")
                .setValue(0.4).setThreshold(0.05).setLabels(Map.of("alertname", "AgentErrorRateHigh"))
                .setEvidenceTraceIds(List.of("t1", "t2")).setSuggestedAction(SuggestedAction.NONE)
                .build();

        assertThat(alertDeserializer.deserialize("agent.alerts", alertSerializer.serialize("agent.alerts", alert))).isEqualTo(alert);
    }

    @Test
    void shouldReadAnEventWrittenWithAnOlderSchemaIntoTheCurrentClass() throws IOException {
        Schema older = schema("evolution/AgentEvent-older.avsc");
        GenericRecord old = new GenericData.Record(older);
        old.put("event_id", "e-old");
        old.put("timestamp", SampleEvents.T0.toEpochMilli());
        old.put("agent_id", "legacy-agent");
        old.put("session_id", "s-1");
        old.put("operation", new GenericData.EnumSymbol(older.getField("operation").schema(), "CHAT"));
        old.put("status", new GenericData.EnumSymbol(older.getField("status").schema(), "ERROR"));
        old.put("latency_ms", 420L);
        byte[] bytes = frame(registry.register("legacy-value", older), older, old);

        AgentEvent event = deserializer.deserialize(TOPIC, bytes);

        assertThat(event.getAgentId()).isEqualTo("legacy-agent");
        assertThat(event.getStatus()).isEqualTo(Status.ERROR);
        assertThat(event.getLatencyMs()).isEqualTo(420L);
        assertThat(event.getInputTokens()).as("a field the older schema lacks takes its default").isNull();
        assertThat(event.getAttributes()).isEmpty();
    }

    @Test
    void shouldReadAnEventWrittenWithANewerSchemaFallingBackToTheEnumDefault() throws IOException {
        Schema newer = schema("evolution/AgentEvent-newer.avsc");
        GenericRecord rec = new GenericData.Record(newer);
        AgentEvent current = SampleEvents.chat();
        for (Schema.Field f : AgentEvent.getClassSchema().getFields()) {
            Object v = current.get(f.name());
            if (v instanceof Enum<?> e) {
                v = new GenericData.EnumSymbol(newer.getField(f.name()).schema(), e.name());
            } else if (v instanceof Instant i) {
                v = i.toEpochMilli();
            }
            rec.put(f.name(), v);
        }
        rec.put("operation", new GenericData.EnumSymbol(newer.getField("operation").schema(), "GUARDRAIL_CHECK"));
        rec.put("guardrail_verdict", "blocked");
        byte[] bytes = frame(registry.register("newer-value", newer), newer, rec);

        AgentEvent event = deserializer.deserialize(TOPIC, bytes);

        assertThat(event.getOperation()).as("unknown symbol -> the enum's default symbol").isEqualTo(Operation.OTHER);
        assertThat(event.getAgentId()).isEqualTo(current.getAgentId());
        assertThat(event.getInputTokens()).isEqualTo(current.getInputTokens());
    }

    @Test
    void shouldRejectABadMagicByte() {
        byte[] bytes = serializer.serialize(TOPIC, SampleEvents.chat());
        bytes[0] = 1;

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(UnknownMagicByteException.class)
                .extracting(e -> ((WireFormatException) e).reason()).isEqualTo("unknown-magic-byte");
    }

    @Test
    void shouldRejectAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(TruncatedPayloadException.class);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
                .isInstanceOf(TruncatedPayloadException.class);
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = serializer.serialize(TOPIC, SampleEvents.chat());
        WireFormat.writeHeader(bytes, 987_654);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageContaining("987654");
    }

    @Test
    void shouldRememberOnlyABoundedNumberOfUnknownSchemaIds() {
        byte[] good = serializer.serialize("agent.events", SampleEvents.chat());
        deserializer.deserialize("agent.events", good);
        for (int i = 0; i < AvroWireDeserializer.MAX_UNKNOWN_IDS + 500; i++) {
            byte[] unknown = good.clone();
            WireFormat.writeHeader(unknown, 5_000_000 + i);
            assertThatThrownBy(() -> deserializer.deserialize("agent.events", unknown)).isInstanceOf(UnknownSchemaIdException.class);
        }

        assertThat(deserializer.cachedIds()).isEqualTo(AvroWireDeserializer.MAX_UNKNOWN_IDS + 1);
        assertThat(deserializer.deserialize("agent.events", good)).isEqualTo(SampleEvents.chat());
    }

    @Test
    void shouldRejectATruncatedRecordAndNeverReturnAHalfFilledOne() {
        byte[] bytes = serializer.serialize(TOPIC, SampleEvents.chat());

        for (int cut = WireFormat.HEADER_SIZE; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                    .as("cut at %d of %d bytes", cut, bytes.length)
                    .isInstanceOf(WireFormatException.class);
        }
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(TruncatedPayloadException.class);
    }

    @Test
    void shouldRejectTrailingBytesAsAPayloadThatDoesNotMatchItsSchema() {
        byte[] bytes = serializer.serialize(TOPIC, SampleEvents.chat());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, longer))
                .isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void shouldRejectAWriterSchemaThatCannotBeReadIntoTheClass() {
        Schema unrelated = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Unrelated\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericRecord rec = new GenericData.Record(unrelated);
        rec.put("x", 7);
        byte[] bytes = frame(registry.register("unrelated-value", unrelated), unrelated, rec);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(IncompatibleWriterSchemaException.class)
                .extracting(e -> ((WireFormatException) e).reason()).isEqualTo("incompatible-schema");
    }

    @Test
    void shouldKeepDecodingKnownIdsWhenTheRegistryIsDownButNotGuessUnknownOnes() {
        byte[] bytes = serializer.serialize(TOPIC, SampleEvents.chat());
        deserializer.deserialize(TOPIC, bytes);
        FailingRegistry down = new FailingRegistry(registry);
        AvroWireDeserializer<AgentEvent> warm = new AvroWireDeserializer<>(down, AgentEvent.class);
        warm.deserialize(TOPIC, bytes);

        down.failing = true;

        assertThat(warm.deserialize(TOPIC, bytes).getAgentId()).isEqualTo("support-triage-07");
        byte[] unknownId = bytes.clone();
        WireFormat.writeHeader(unknownId, 4242);
        assertThatThrownBy(() -> warm.deserialize(TOPIC, unknownId)).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void shouldReturnNullForATombstone() {
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
        assertThat(serializer.serialize(TOPIC, null)).isNull();
    }

    static byte[] frame(int id, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Schema schema(String resource) throws IOException {
        try (InputStream in = WireFormatSerdeTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        }
    }

    /** A registry stub (unit tests only) that delegates until told to fail like an unreachable registry. */
    private static final class FailingRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        volatile boolean failing;

        FailingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (failing) {
                throw new RegistryUnavailableException("registry down (test)", -1, null);
            }
        }

        @Override public int register(String s, Schema schema) { check(); return delegate.register(s, schema); }
        @Override public int idOf(String s, Schema schema) { check(); return delegate.idOf(s, schema); }
        @Override public Schema schemaById(int id) { check(); return delegate.schemaById(id); }
        @Override public RegisteredSchema latest(String s) { check(); return delegate.latest(s); }
        @Override public boolean isCompatible(String s, Schema schema) { check(); return delegate.isCompatible(s, schema); }
        @Override public void setCompatibility(String s, String level) { check(); delegate.setCompatibility(s, level); }
        @Override public void setGlobalCompatibility(String level) { check(); delegate.setGlobalCompatibility(level); }
        @Override public String compatibility(String s) { check(); return delegate.compatibility(s); }
        @Override public List<String> subjects() { check(); return delegate.subjects(); }
        @Override public void close() { }
    }
}
