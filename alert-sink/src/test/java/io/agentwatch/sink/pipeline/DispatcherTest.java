package io.agentwatch.sink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.SinkMetrics;
import io.agentwatch.sink.delivery.Envelope;
import io.agentwatch.sink.delivery.LogReceiver;
import io.agentwatch.sink.delivery.Notification;
import io.agentwatch.sink.delivery.RetryPolicy;
import io.agentwatch.sink.routing.AlertLabels;
import io.agentwatch.sink.routing.RoutesConfig;
import io.agentwatch.sink.state.ActiveAlerts;
import io.agentwatch.sink.testing.Alerts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing into lanes, inhibition with a hold, groups, digests and repeat_interval, with time advanced by hand. */
class DispatcherTest {
    private static final String ROUTES = """
            route:
              receiver: chat
              routes:
                - matchers: ['severity="critical"']
                  receiver: pager
                - matchers: ['severity="error"']
                  receiver: grouped
                  group_by: [alertname]
                  group_wait: 30s
                  group_interval: 5m
                - matchers: ['severity="warning"']
                  receiver: hourly
                - matchers: ['severity="info"']
                  receiver: chat
                  repeat_interval: 1h
            receivers:
              - {name: pager, type: log}
              - {name: chat, type: log}
              - {name: grouped, type: log}
              - {name: hourly, type: digest, period: 1h, send_to: hook}
              - {name: hook, type: webhook, url: 'http://127.0.0.1:9/hook'}
            """;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T10:00:10Z"));
    private final ActiveAlerts view = new ActiveAlerts(100, 1000);
    private final Map<String, ReceiverLane> lanes = new LinkedHashMap<>();
    private final PartitionTracker tracker = new PartitionTracker(new TopicPartition("agent.alerts", 0), ReplayMarks.NONE);
    private Dispatcher dispatcher;
    private long offset;

    @BeforeEach
    void setUp() {
        RoutesConfig config = RoutesConfig.parse(ROUTES, "test", Map.of());
        SinkMetrics metrics = new SinkMetrics(new SimpleMeterRegistry());
        config.receivers().values().stream().filter(r -> !r.type().id().equals("digest")).forEach(r ->
                lanes.put(r.name(), new ReceiverLane(new LogReceiver(r), new RetryPolicy(r.retry()), null, metrics)));
        dispatcher = new Dispatcher(config.router(), config.receivers(), lanes, view, Duration.ofSeconds(10), now::get, metrics);
    }

    private Envelope accept(Alert a) {
        Envelope e = new Envelope("agent.alerts", 0, offset++, a.getFingerprint().getBytes(), new byte[0], a, AlertLabels.of(a), 0, tracker);
        view.apply(a);
        dispatcher.accept(e, tracker);
        tracker.read(e.offset());
        return e;
    }

    private List<String> sent(String lane) {
        return lanes.get(lane).queued().stream().flatMap(n -> n.alerts().stream()).map(e -> e.fingerprint() + ":" + e.alert().getStatus()).toList();
    }

    private void advance(Duration d) {
        now.set(now.get().plus(d));
        dispatcher.tick();
    }

    @Test
    void shouldSendACriticalAlertToThePagerAtOnce() {
        accept(Alerts.firing("p1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build());

        assertThat(sent("pager")).containsExactly("p1:FIRING");
        assertThat(tracker.toCommit().offset()).as("owed until the pager accepts it").isEqualTo(0);
    }

    @Test
    void shouldSuppressACausedByAlertWhileItsCascadeFiresWhicheverArrivesFirst() {
        Alert cascade = Alerts.firing("root", "CascadeFailure", Severity.CRITICAL, "planner").setRootCauseAgentId("planner").build();
        Alert downstream = Alerts.withLabel(Alerts.firing("down", "AgentErrorRateHigh", Severity.CRITICAL, "coder").build(), "caused_by", "root");

        accept(downstream);
        assertThat(sent("pager")).as("held: the cascade alert is not known yet").isEmpty();
        accept(cascade);
        advance(Duration.ofMillis(100));

        assertThat(sent("pager")).containsExactly("root:FIRING");
        assertThat(tracker.toCommit().offset()).as("the suppressed alert is done, the cascade is owed").isEqualTo(1);

        accept(Alerts.resolvedOf(downstream, Instant.parse("2026-11-22T10:05:00Z")));
        assertThat(sent("pager")).as("the resolve of a suppressed alert is suppressed too").containsExactly("root:FIRING");
    }

    @Test
    void shouldDeliverACausedByAlertWhenItsCascadeIsNotSeenWithinTheHold() {
        Alert downstream = Alerts.withLabel(Alerts.firing("down", "AgentErrorRateHigh", Severity.CRITICAL, "coder").build(), "caused_by", "nope");

        accept(downstream);
        advance(Duration.ofSeconds(9));
        assertThat(sent("pager")).isEmpty();
        advance(Duration.ofSeconds(2));

        assertThat(sent("pager")).containsExactly("down:FIRING");
    }

    @Test
    void shouldKeepTheResolveBehindItsHeldFiringSoOrderPerFingerprintHolds() {
        Alert downstream = Alerts.withLabel(Alerts.firing("down", "AgentErrorRateHigh", Severity.CRITICAL, "coder").build(), "caused_by", "nope");

        accept(downstream);
        accept(Alerts.resolvedOf(downstream, Instant.parse("2026-11-22T10:01:00Z")));
        advance(Duration.ofSeconds(11));

        assertThat(sent("pager")).containsExactly("down:FIRING", "down:RESOLVED");
    }

    @Test
    void shouldGatherAGroupForGroupWaitThenSendItAsOneNotification() {
        accept(Alerts.firing("e1", "AgentErrorRateHigh", Severity.ERROR, "a").build());
        accept(Alerts.firing("e2", "AgentErrorRateHigh", Severity.ERROR, "b").build());
        advance(Duration.ofSeconds(29));
        assertThat(lanes.get("grouped").queued()).isEmpty();

        advance(Duration.ofSeconds(1));

        List<Notification> sent = lanes.get("grouped").queued();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).alerts()).extracting(Envelope::fingerprint).containsExactly("e1", "e2");
        assertThat(sent.get(0).groupLabels()).isEqualTo(Map.of("alertname", "AgentErrorRateHigh"));

        accept(Alerts.firing("e3", "AgentErrorRateHigh", Severity.ERROR, "c").build());
        advance(Duration.ofMinutes(4));
        assertThat(lanes.get("grouped").queued()).as("next notification only after group_interval").hasSize(1);
        advance(Duration.ofMinutes(1));
        assertThat(lanes.get("grouped").queued()).hasSize(2);
    }

    @Test
    void shouldHoldDigestAlertsUntilTheHourEndsAndKeepTheirOffsetsUncommitted() {
        accept(Alerts.firing("w1", "AgentTokenDrift", Severity.WARNING, "a").build());
        accept(Alerts.firing("p1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build());
        tracker.done(1, "pager");
        advance(Duration.ofMinutes(30));

        assertThat(lanes.get("hook").queued()).isEmpty();
        assertThat(tracker.toCommit().offset()).as("the digest still owes offset 0").isEqualTo(0);
        assertThat(ReplayMarks.decode(tracker.toCommit().metadata()).marks()).isEqualTo(Map.of("hourly", 0L));

        advance(Duration.ofMinutes(30));

        List<Notification> digests = lanes.get("hook").queued();
        assertThat(digests).hasSize(1);
        assertThat(digests.get(0).tracked()).isEqualTo("hourly");
        assertThat(digests.get(0).digest().orElseThrow().start()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(digests.get(0).alerts()).extracting(Envelope::fingerprint).containsExactly("w1");
    }

    @Test
    void shouldNotRepeatAFiringAlertInsideRepeatInterval() {
        Alert info = Alerts.firing("i1", "AgentSilent", Severity.INFO, "a").build();
        accept(info);
        advance(Duration.ofMinutes(30));
        accept(info);
        advance(Duration.ofMinutes(31));
        accept(info);

        assertThat(sent("chat")).containsExactly("i1:FIRING", "i1:FIRING");
        assertThat(tracker.toCommit().offset()).as("the suppressed repeat is done").isEqualTo(0);
    }

    @Test
    void shouldSkipReceiversThatHadFinishedBeforeARestart() {
        PartitionTracker replaying = new PartitionTracker(new TopicPartition("agent.alerts", 0), ReplayMarks.decode("aw1;hi=2;hourly=0"));
        Alert warn = Alerts.firing("w1", "AgentTokenDrift", Severity.WARNING, "a").build();
        Alert crit = Alerts.firing("p1", "AgentErrorRateHigh", Severity.CRITICAL, "a").build();

        dispatcher.accept(new Envelope("agent.alerts", 0, 0, new byte[0], new byte[0], warn, AlertLabels.of(warn), 0, replaying), replaying);
        dispatcher.accept(new Envelope("agent.alerts", 0, 1, new byte[0], new byte[0], crit, AlertLabels.of(crit), 0, replaying), replaying);
        replaying.read(1);

        assertThat(sent("pager")).as("the pager had accepted offset 1 before the restart").isEmpty();
        assertThat(replaying.inFlight()).as("the digest is owed offset 0 again").isEqualTo(1);
    }
}
