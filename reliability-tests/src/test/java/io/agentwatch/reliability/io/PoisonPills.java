package io.agentwatch.reliability.io;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.ControlAction;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.schema.serde.WireFormat;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed records of every kind the processor must dead-letter, made from real events of the seeded traffic and
 * mixed into it at seeded random positions, each after the event it was made from (same key, same partition, an
 * event time no later than that event's), so a pill never moves stream time and the valid events around it are
 * processed exactly as in a run without pills.
 */
final class PoisonPills {
    /** The kinds, with the dead-letter reason the processor must give each. */
    enum Kind {
        BAD_MAGIC_BYTE("unknown-magic-byte"),
        UNKNOWN_SCHEMA_ID("unknown-schema-id"),
        TRUNCATED_AVRO("truncated-payload"),
        TRAILING_GARBAGE("malformed-payload"),
        WRONG_SCHEMA("incompatible-schema"),
        ABSURD_TIMESTAMP("invalid-field"),
        NEGATIVE_VALUES("invalid-field"),
        OVERSIZED("oversized-record"),
        TOMBSTONE("missing-value");

        final String reason;

        Kind(String reason) {
            this.reason = reason;
        }
    }

    /** The processor's events.max-bytes in the scenario: the default. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    /** Just under the broker's default message.max.bytes (1,048,588 per batch): a record the broker takes, whose dead-letter copy with headers would not fit the producer's default 1 MiB request. */
    static final int NEAR_BROKER_LIMIT = 1_048_380;

    private final Random random;
    private final AvroWireSerializer<AgentEvent> events;
    private final AvroWireSerializer<ControlCommand> commands;
    private final AvroWireDeserializer<AgentEvent> decoder;
    private final String topic;
    private final String otherSchemaTopic;

    PoisonPills(long seed, SchemaRegistryClient registry, String topic, String otherSchemaTopic) {
        this.random = new Random(seed);
        this.events = new AvroWireSerializer<>(registry, false, true);
        this.commands = new AvroWireSerializer<>(registry, false, true);
        this.decoder = new AvroWireDeserializer<>(registry, AgentEvent.class);
        this.topic = topic;
        this.otherSchemaTopic = otherSchemaTopic;
    }

    /**
     * The valid records with {@code count} pills mixed in; {@code oversized} of them are oversized (two of those near
     * the broker's limit), the rest spread evenly over the other kinds.
     */
    List<RawRecord> mixInto(List<RawRecord> valid, int count, int oversized) {
        int realEvents = valid.size() - ScenarioTopics.EVENT_PARTITIONS; // the tail heartbeats stay last
        List<List<RawRecord>> after = new ArrayList<>(realEvents);
        for (int i = 0; i < realEvents; i++) {
            after.add(null);
        }
        Kind[] common = Arrays.stream(Kind.values()).filter(k -> k != Kind.OVERSIZED).toArray(Kind[]::new);
        for (int i = 0; i < count; i++) {
            Kind kind = i < oversized ? Kind.OVERSIZED : common[i % common.length];
            int at = random.nextInt(realEvents);
            RawRecord source = valid.get(at);
            RawRecord pill = make(kind, source, i < 2 ? NEAR_BROKER_LIMIT : MAX_EVENT_BYTES + 10_000 + random.nextInt(50_000));
            if (after.get(at) == null) {
                after.set(at, new ArrayList<>(1));
            }
            after.get(at).add(pill);
        }
        List<RawRecord> mixed = new ArrayList<>(valid.size() + count);
        for (int i = 0; i < valid.size(); i++) {
            mixed.add(valid.get(i));
            if (i < realEvents && after.get(i) != null) {
                mixed.addAll(after.get(i));
            }
        }
        return mixed;
    }

    private RawRecord make(Kind kind, RawRecord source, int oversizedBytes) {
        byte[] good = source.value();
        byte[] value = switch (kind) {
            case BAD_MAGIC_BYTE -> {
                byte[] b = good.clone();
                b[0] = (byte) (1 + random.nextInt(255));
                yield b;
            }
            case UNKNOWN_SCHEMA_ID -> {
                byte[] b = good.clone();
                WireFormat.writeHeader(b, 900_000 + random.nextInt(1_000));
                yield b;
            }
            case TRUNCATED_AVRO -> Arrays.copyOf(good, WireFormat.HEADER_SIZE + 1 + random.nextInt(good.length - WireFormat.HEADER_SIZE - 2));
            case TRAILING_GARBAGE -> {
                byte[] b = Arrays.copyOf(good, good.length + 1 + random.nextInt(16));
                for (int i = good.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
                yield b;
            }
            case WRONG_SCHEMA -> {
                AgentEvent e = decode(good);
                ControlCommand c = ControlCommand.newBuilder().setCommandId(e.getEventId()).setTimestamp(e.getTimestamp())
                        .setAction(ControlAction.DISABLE_AGENT).setAgentId(e.getAgentId()).setReason("not an event")
                        .setAlertFingerprint("0123456789abcdef").setRuleId("loop").build();
                yield commands.serialize(otherSchemaTopic, c);
            }
            case ABSURD_TIMESTAMP -> {
                AgentEvent e = decode(good);
                e.setTimestamp(random.nextBoolean()
                        ? Instant.ofEpochMilli(e.getTimestamp().toEpochMilli() / 1000)   // seconds for milliseconds
                        : Instant.parse("2100-01-01T00:00:00Z"));
                yield events.serialize(topic, e);
            }
            case NEGATIVE_VALUES -> {
                AgentEvent e = decode(good);
                switch (random.nextInt(4)) {
                    case 0 -> e.setInputTokens(-1L - random.nextInt(1000));
                    case 1 -> e.setLatencyMs(-1L - random.nextInt(1000));
                    case 2 -> e.setCostUsd(-0.01);
                    default -> e.setRetryCount(-1);
                }
                yield events.serialize(topic, e);
            }
            case OVERSIZED -> {
                AgentEvent e = decode(good);
                Map<String, String> attributes = new LinkedHashMap<>(e.getAttributes() == null ? Map.of() : e.getAttributes());
                attributes.put("prompt", "x".repeat(oversizedBytes - good.length));
                e.setAttributes(attributes);
                yield events.serialize(topic, e);
            }
            case TOMBSTONE -> null;
        };
        return new RawRecord(source.partition(), source.key(), value, kind.name(), kind.reason);
    }

    private AgentEvent decode(byte[] good) {
        return decoder.deserialize(topic, good);
    }

    static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }
}
