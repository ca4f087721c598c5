package io.agentwatch.sink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.SinkMetrics;
import io.agentwatch.sink.delivery.Attempt;
import io.agentwatch.sink.delivery.Envelope;
import io.agentwatch.sink.delivery.Notification;
import io.agentwatch.sink.delivery.Outgoing;
import io.agentwatch.sink.delivery.Receiver;
import io.agentwatch.sink.delivery.RetryPolicy;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.ReceiverSpec;
import io.agentwatch.sink.routing.RetrySpec;
import io.agentwatch.sink.testing.Alerts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReceiverLaneTest {
    private static final RetrySpec FAST = new RetrySpec(4, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5));

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PartitionTracker tracker = new PartitionTracker(new TopicPartition("agent.alerts", 2), ReplayMarks.NONE);
    private ReceiverLane lane;

    /** A receiver that answers from a script, then OK. */
    static final class Scripted implements Receiver {
        final Deque<Attempt> script = new ArrayDeque<>();
        final List<String> accepted = new CopyOnWriteArrayList<>();
        final ReceiverSpec spec = new ReceiverSpec("pd", ReceiverSpec.Type.PAGERDUTY, Optional.empty(), Optional.empty(), Duration.ofSeconds(1),
                FAST, Duration.ofHours(1), Optional.empty(), 10, Duration.ofMinutes(1));

        @Override
        public ReceiverSpec spec() {
            return spec;
        }

        @Override
        public List<Outgoing> render(Notification n) {
            return n.alerts().stream().map(e -> new Outgoing(List.of(e), null, new byte[0])).toList();
        }

        @Override
        public synchronized Attempt send(Outgoing o) {
            Attempt a = script.isEmpty() ? Attempt.success() : script.poll();
            if (a.ok()) {
                accepted.add(o.alerts().get(0).fingerprint());
            }
            return a;
        }
    }

    @AfterEach
    void close() {
        if (lane != null) {
            lane.close();
        }
    }

    private Notification one(Alert a, long offset) {
        tracker.owe(offset, "pd");
        tracker.read(offset);
        Envelope e = new Envelope("agent.alerts", 2, offset, a.getFingerprint().getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, 42},
                a, AlertLabels.of(a), System.nanoTime(), tracker);
        return new Notification("pd", "g", java.util.Map.of(), List.of(e), Optional.empty());
    }

    @Test
    void shouldRetryUnavailableThenDeliverInOrder() {
        Scripted pd = new Scripted();
        pd.script.add(Attempt.failure(true, Optional.empty(), "http_503", "HTTP 503"));
        pd.script.add(Attempt.failure(true, Optional.empty(), "http_503", "HTTP 503"));
        lane = new ReceiverLane(pd, new RetryPolicy(FAST), new DeadLetters(producer, "agent.alerts.dlq"), new SinkMetrics(registry));
        lane.start();

        lane.submit(one(Alerts.firing("f1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build(), 0));
        lane.submit(one(Alerts.firing("f2", "AgentErrorRateHigh", Severity.CRITICAL, "b").build(), 1));

        await().atMost(Duration.ofSeconds(5)).until(() -> tracker.inFlight() == 0);
        assertThat(pd.accepted).containsExactly("f1", "f2");
        assertThat(tracker.toCommit().offset()).isEqualTo(2);
        assertThat(registry.get("agentwatch.sink.delivery.retries").tag("reason", "http_503").counter().count()).isEqualTo(2);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldDeadLetterAFinalRefusalWithReceiverErrorAndSourceHeaders() {
        Scripted pd = new Scripted();
        pd.script.add(Attempt.failure(false, Optional.empty(), "http_400", "HTTP 400 from https://events.pagerduty.com/***: invalid event"));
        lane = new ReceiverLane(pd, new RetryPolicy(FAST), new DeadLetters(producer, "agent.alerts.dlq"), new SinkMetrics(registry));
        lane.start();

        lane.submit(one(Alerts.firing("f1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build(), 7));

        await().atMost(Duration.ofSeconds(5)).until(() -> tracker.inFlight() == 0);
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> dlq = producer.history().get(0);
        assertThat(dlq.topic()).isEqualTo("agent.alerts.dlq");
        assertThat(new String(dlq.key(), StandardCharsets.UTF_8)).isEqualTo("f1");
        assertThat(dlq.value()).containsExactly(0, 0, 0, 0, 1, 42);
        assertThat(header(dlq, DeadLetters.RECEIVER)).isEqualTo("pd");
        assertThat(header(dlq, DeadLetters.ERROR)).contains("HTTP 400").contains("/***");
        assertThat(header(dlq, DeadLetters.ATTEMPTS)).isEqualTo("1");
        assertThat(header(dlq, DeadLetters.SOURCE_TOPIC)).isEqualTo("agent.alerts");
        assertThat(header(dlq, DeadLetters.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(dlq, DeadLetters.SOURCE_OFFSET)).isEqualTo("7");
        assertThat(registry.get("agentwatch.sink.dead.letters").tag("receiver", "pd").counter().count()).isEqualTo(1);
        assertThat(tracker.toCommit().offset()).as("dead-lettered counts as done").isEqualTo(8);
    }

    @Test
    void shouldDeadLetterWhenTheRetryBudgetIsSpent() {
        Scripted pd = new Scripted();
        for (int i = 0; i < 10; i++) {
            pd.script.add(Attempt.failure(true, Optional.empty(), "connect", "cannot connect"));
        }
        lane = new ReceiverLane(pd, new RetryPolicy(FAST), new DeadLetters(producer, "agent.alerts.dlq"), new SinkMetrics(registry));
        lane.start();

        lane.submit(one(Alerts.firing("f1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build(), 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> tracker.inFlight() == 0);
        assertThat(header(producer.history().get(0), DeadLetters.ATTEMPTS)).isEqualTo("4");
        assertThat(pd.accepted).isEmpty();
    }

    @Test
    void shouldNotSendAlertsOfARevokedPartition() throws Exception {
        Scripted pd = new Scripted();
        lane = new ReceiverLane(pd, new RetryPolicy(FAST), new DeadLetters(producer, "agent.alerts.dlq"), new SinkMetrics(registry));
        Notification n = one(Alerts.firing("f1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build(), 0);
        tracker.revoke();
        lane.start();

        lane.submit(n);

        assertThat(lane.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(pd.accepted).isEmpty();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
