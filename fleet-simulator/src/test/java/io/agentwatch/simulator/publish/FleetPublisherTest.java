package io.agentwatch.simulator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class FleetPublisherTest {
    private static final long START = 1_767_225_600_000L;

    /** A clock the test moves by hand; sleeping moves it too. */
    static final class ManualClock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);
        final List<Long> sleeps = new ArrayList<>();

        long now() {
            return nanos.get();
        }

        void sleep(long millis) {
            sleeps.add(millis);
            nanos.addAndGet(millis * 1_000_000L);
        }
    }

    static AgentEvent event(long timeMs, String agent) {
        AgentEvent e = new AgentEvent();
        e.setEventId("e-" + timeMs);
        e.setTimestamp(Instant.ofEpochMilli(timeMs));
        e.setAgentId(agent);
        e.setOperation(Operation.HEARTBEAT);
        e.setStatus(io.agentwatch.schema.Status.OK);
        e.setAttributes(java.util.Map.of());
        return e;
    }

    static MockProducer<String, AgentEvent> mockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), (topic, e) -> new byte[] {1});
    }

    @Test
    void shouldKeyRecordsByAgentAndStampThemWithEventTime() throws InterruptedException {
        MockProducer<String, AgentEvent> producer = mockProducer(true);
        KafkaEventSink sink = new KafkaEventSink(producer, "agent.events", "mock");
        ManualClock clock = new ManualClock();
        FleetPublisher publisher = new FleetPublisher(sink, Pacer.asFastAsPossible(), Duration.ofSeconds(5), p -> { }, clock::now);

        FleetPublisher.Result result = publisher.publish(List.of(event(START, "a"), event(START + 5, "b")).iterator());

        assertThat(result.sent()).isEqualTo(2);
        assertThat(result.acknowledged()).isEqualTo(2);
        assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::key, ProducerRecord::timestamp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent.events", "a", START),
                        org.assertj.core.groups.Tuple.tuple("agent.events", "b", START + 5));
        assertThat(producer.flushed()).isTrue();
    }

    @Test
    void shouldSurfaceAnAsynchronousSendFailureOnTheNextSendAndOnFlush() {
        MockProducer<String, AgentEvent> producer = mockProducer(false);
        KafkaEventSink sink = new KafkaEventSink(producer, "agent.events", "mock");
        sink.send(event(START, "a"));
        producer.errorNext(new TimeoutException("broker gone"));

        assertThatThrownBy(() -> sink.send(event(START + 1, "a"))).isInstanceOf(PublishException.class).hasMessageContaining("broker gone");
        assertThatThrownBy(sink::flush).isInstanceOf(PublishException.class).hasMessageContaining("broker gone");
    }

    @Test
    void shouldStopWithTheCountOfEventsSentWhenTheSinkFails() {
        EventSink failing = new EventSink() {
            long sent;

            @Override
            public void send(AgentEvent event) {
                if (++sent == 3) {
                    throw new IllegalStateException("registry unavailable");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public long acknowledged() {
                return sent;
            }

            @Override
            public String describe() {
                return "topic t";
            }

            @Override
            public void close() {
            }
        };
        ManualClock clock = new ManualClock();
        FleetPublisher publisher = new FleetPublisher(failing, Pacer.asFastAsPossible(), Duration.ofSeconds(5), p -> { }, clock::now);
        List<AgentEvent> events = List.of(event(START, "a"), event(START + 1, "a"), event(START + 2, "a"), event(START + 3, "a"));

        assertThatThrownBy(() -> publisher.publish(events.iterator()))
                .isInstanceOf(PublishException.class)
                .hasMessage("sending to topic t failed after 2 events: registry unavailable");
    }

    @Test
    void shouldSendEachEventWhenItsEventTimeComesInRealTime() throws InterruptedException {
        ManualClock clock = new ManualClock();
        Pacer pacer = Pacer.realTime(START, clock::now, clock::sleep);
        List<Long> sentAt = new ArrayList<>();
        EventSink recording = new RecordingSink(e -> sentAt.add(clock.now()));
        FleetPublisher publisher = new FleetPublisher(recording, pacer, Duration.ofSeconds(5), p -> { }, clock::now);

        publisher.publish(List.of(event(START, "a"), event(START + 1_000, "a"), event(START + 2_500, "b"), event(START + 2_500, "c")).iterator());

        assertThat(clock.sleeps).containsExactly(1_000L, 1_500L);
        long t0 = sentAt.get(0);
        assertThat(sentAt).containsExactly(t0, t0 + 1_000_000_000L, t0 + 2_500_000_000L, t0 + 2_500_000_000L);
    }

    @Test
    void shouldReportProgressEveryIntervalAndAtTheEnd() throws InterruptedException {
        ManualClock clock = new ManualClock();
        List<Progress> reports = new ArrayList<>();
        // every send takes a simulated second
        EventSink slow = new RecordingSink(e -> clock.nanos.addAndGet(1_000_000_000L));
        FleetPublisher publisher = new FleetPublisher(slow, Pacer.asFastAsPossible(), Duration.ofSeconds(5), reports::add, clock::now);
        List<AgentEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event(START + i, "a"));
        }

        publisher.publish(events.iterator());

        assertThat(reports).extracting(Progress::sent).containsExactly(5L, 10L, 12L);
        assertThat(reports.get(0).currentRate()).isEqualTo(1.0);
        assertThat(reports.get(1).elapsed()).isEqualTo(Duration.ofSeconds(10));
        assertThat(reports.get(2).lastEventTimeMs()).isEqualTo(START + 11);
    }

    @Test
    void shouldEndEarlyButFlushWhenStopped() throws InterruptedException {
        ManualClock clock = new ManualClock();
        List<AgentEvent> seen = new ArrayList<>();
        FleetPublisher[] self = new FleetPublisher[1];
        RecordingSink sink = new RecordingSink(e -> {
            seen.add(e);
            if (seen.size() == 2) {
                self[0].stop();
            }
        });
        self[0] = new FleetPublisher(sink, Pacer.asFastAsPossible(), Duration.ofSeconds(5), p -> { }, clock::now);
        FleetPublisher.Result result = self[0].publish(new FleetSimulator(SimulationConfig.of(1, 5, 50, Duration.ofMinutes(1), START)).iterator());

        assertThat(result.sent()).isEqualTo(2);
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(sink.flushes).isEqualTo(1);
    }

    static final class RecordingSink implements EventSink {
        private final java.util.function.Consumer<AgentEvent> onSend;
        long sent;
        int flushes;

        RecordingSink(java.util.function.Consumer<AgentEvent> onSend) {
            this.onSend = onSend;
        }

        @Override
        public void send(AgentEvent event) {
            onSend.accept(event);
            sent++;
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public long acknowledged() {
            return sent;
        }

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public void close() {
        }
    }
}
