package io.agentwatch.processor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DecodeEventsTest {
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldDeadLetterEachKindOfPoisonPillWithItsReasonAndKeepGoing() {
        Instant t = Instant.ofEpochMilli(Traffic.minute(1));
        byte[] good = fixture.serialize(Events.step("a1", t.toEpochMilli()));
        byte[] badMagic = good.clone();
        badMagic[0] = 7;
        byte[] unknownId = good.clone();
        WireFormat.writeHeader(unknownId, 424_242);
        byte[] truncated = Arrays.copyOf(good, good.length - 10);
        byte[] negativeTokens = fixture.serialize(Events.step("a1", t.toEpochMilli(), e -> e.setInputTokens(-5L)));
        byte[] absurdTime = fixture.serialize(Events.step("a1", 1_000L));
        byte[] futureTime = fixture.serialize(Events.step("a1", Instant.parse("2030-01-01T00:00:00Z").toEpochMilli()));
        byte[] key = "a1".getBytes(StandardCharsets.UTF_8);

        fixture.sendRaw(key, badMagic, t);
        fixture.sendRaw(key, unknownId, t);
        fixture.sendRaw(key, truncated, t);
        fixture.sendRaw(key, negativeTokens, t);
        fixture.sendRaw(key, absurdTime, t);
        fixture.sendRaw(key, futureTime, t);
        fixture.sendRaw(key, null, t);
        fixture.sendRaw(key, good, t);

        List<TestRecord<byte[], byte[]>> dead = fixture.deadLetters();
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON)).containsExactly(
                "unknown-magic-byte", "unknown-schema-id", "truncated-payload", "invalid-field", "invalid-field", "invalid-field", "missing-value");
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR))
                .anySatisfy(e -> assertThat(e).startsWith("input_tokens:"))
                .anySatisfy(e -> assertThat(e).startsWith("timestamp:").contains("before 2000"))
                .anySatisfy(e -> assertThat(e).startsWith("timestamp:").contains("future"));
        TestRecord<byte[], byte[]> first = dead.get(0);
        assertThat(first.value()).as("original bytes, untouched").isEqualTo(badMagic);
        assertThat(first.key()).isEqualTo(key);
        assertThat(DeadLetters.header(first.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(TopologyFixture.EVENTS);
        assertThat(DeadLetters.header(first.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(first.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(DeadLetters.header(dead.get(6).headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("6");
        assertThat(fixture.meters.get("agentwatch.events.dead.lettered").tag("reason", "invalid-field").counter().count()).isEqualTo(3);
    }

    @Test
    void shouldDeadLetterARecordOverTheMaximumEventSizeWithoutDecodingIt() {
        try (TopologyFixture small = new TopologyFixture(io.agentwatch.processor.rules.RulesFile.defaults(), s -> s.withMaxEventBytes(2_048))) {
            long t = Traffic.minute(1);
            AgentEvent big = Events.step("a1", t, e -> e.setAttributes(java.util.Map.of("prompt", "x".repeat(4_000))));
            byte[] oversized = small.serialize(big);
            byte[] fits = small.serialize(Events.step("a1", t));
            byte[] key = "a1".getBytes(StandardCharsets.UTF_8);

            small.sendRaw(key, oversized, Instant.ofEpochMilli(t));
            small.sendRaw(key, fits, Instant.ofEpochMilli(t));

            List<TestRecord<byte[], byte[]>> dead = small.deadLetters();
            assertThat(dead).hasSize(1);
            assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).isEqualTo("oversized-record");
            assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR)).contains(oversized.length + " bytes").contains("events.max-bytes");
            assertThat(dead.get(0).value()).as("the original bytes: it fits the dead-letter copy limit").isEqualTo(oversized);
            assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.TRUNCATED)).isNull();
        }
    }

    @Test
    void shouldCutADeadLetterCopyThatWouldNotFitTheProducersRequestLimitAndSaySo() {
        byte[] key = "k".repeat(10).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[DeadLetters.MAX_COPY_BYTES + 40_000];

        DeadLetters.Copy copy = DeadLetters.copy(key, value);

        assertThat(copy.key()).isEqualTo(key);
        assertThat(copy.value().length + copy.key().length).isEqualTo(DeadLetters.MAX_COPY_BYTES);
        assertThat(copy.truncated()).isEqualTo("key=10,value=" + value.length);
        assertThat(DeadLetters.copy(key, new byte[100]).truncated()).isNull();
    }

    @Test
    void shouldProcessEventsWhateverTheProducerKeyedThemBy() {
        // the same agent's errors arrive with a null key, a foreign key and the right key: one agent, one alert
        Traffic.Factory flaky = (a, t, n) -> n % 3 == 0 ? Events.error(a, t) : Events.step(a, t);
        List<AgentEvent> events = new java.util.ArrayList<>();
        new Traffic().steps("keyless", 0, 8, 10, (a, t, n) -> {
            AgentEvent e = flaky.make(a, t, n);
            events.add(e);
            return e;
        });
        for (int i = 0; i < events.size(); i++) {
            byte[] key = switch (i % 3) {
                case 0 -> null;
                case 1 -> ("session-" + i).getBytes(StandardCharsets.UTF_8);
                default -> "keyless".getBytes(StandardCharsets.UTF_8);
            };
            fixture.sendKeyed(key, events.get(i));
        }

        List<Alert> firing = TopologyFixture.of(fixture.alerts(), "AgentErrorRateHigh", AlertStatus.FIRING);

        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getScope().getAgentId()).isEqualTo("keyless");
        assertThat(fixture.meters.get("agentwatch.events.rekeyed").counter().count())
                .as("null and foreign keys go through the re-keying topic").isEqualTo(events.size() * 2 / 3, org.assertj.core.data.Offset.offset(1.0));
        assertThat(fixture.deadLetters()).isEmpty();
    }

    @Test
    void shouldCountEveryProcessedEventByTheCommitThatCoversItEvenWhenStreamTimeStops() {
        // three events within one evaluation interval: no event-time tick runs, only the commits after each record
        for (int i = 0; i < 3; i++) {
            fixture.send(Events.step("counted", Traffic.minute(1) + i));
        }

        assertThat(fixture.meters.get("agentwatch.events.processed").counter().count())
                .as("the count is published at each commit, not only at the next tick (traffic that stops would leave it short)")
                .isEqualTo(3.0);
    }

    @Test
    void shouldNotLetAPoisonPillMoveStreamTime() {
        // a record that is not an event, stamped ten hours ahead by its producer, arrives first
        fixture.sendRaw(null, new byte[] {42, 1, 2, 3}, Instant.ofEpochMilli(Traffic.minute(600)));
        new Traffic().steps("after-poison", 0, 8, 10, (a, t, n) -> n % 3 == 0 ? Events.error(a, t) : Events.step(a, t)).sendTo(fixture);

        assertThat(fixture.deadLetters()).hasSize(1);
        assertThat(TopologyFixture.of(fixture.alerts(), "AgentErrorRateHigh", AlertStatus.FIRING))
                .as("the events after it are not late").hasSize(1);
        assertThat(fixture.meters.get("agentwatch.events.late").counter().count()).isZero();
    }

    @Test
    void shouldReadEventTimeFromTheWireBytesWithoutDecoding() {
        byte[] bytes = fixture.serialize(Events.step("a1", 1_793_491_200_123L));

        assertThat(EventTimeExtractor.read(bytes)).isEqualTo(1_793_491_200_123L);
        assertThat(EventTimeExtractor.read(new byte[] {0, 0, 0, 0, 1, (byte) 0xff})).isEqualTo(-1);
        assertThat(EventTimeExtractor.read(new byte[] {1, 2, 3})).isEqualTo(-1);
    }
}
