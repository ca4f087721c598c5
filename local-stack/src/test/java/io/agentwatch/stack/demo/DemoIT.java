package io.agentwatch.stack.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Contracts;
import io.agentwatch.simulator.score.IncidentScore;
import io.agentwatch.simulator.score.ScoreResult;
import io.agentwatch.stack.backtest.Backtest;
import io.agentwatch.stack.backtest.TopicEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as `./agentwatch demo --exit` runs it but faster: the real local stack, the processor, the
 * sink and the simulated fleet with every incident kind. Every injected incident must be detected by the alert it
 * expects, and a backtest of the recorded events (the same topology, offline) must give the same alerts as the live
 * processor did: same fingerprints, names and statuses, and the same start times for every rule driven by event
 * time. AgentSilent fires by the processor's wall clock, which the demo runs 40x slower than its fleet time while a
 * replay moves it with the events: its alerts must be the same, their start times may differ.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DemoIT {
    @TempDir
    Path dataDir;

    @Test
    void shouldDetectEveryIncidentAndAgreeWithTheBacktestOfItsEvents() throws Exception {
        StringWriter printed = new StringWriter();
        Demo.Options options = new Demo.Options(dataDir, 0, 0, 0, 0, 30, 60, Duration.ofMinutes(48), 40, 7, "all", null);
        try (Demo demo = new Demo(options, new PrintWriter(printed, true))) {
            ScoreResult score = demo.run();
            System.out.println(printed);

            assertThat(score).as("the demo ran to its end").isNotNull();
            assertThat(score.incidents()).as("incidents injected").hasSizeGreaterThanOrEqualTo(9);
            assertThat(score.incidents()).as("incidents missed").filteredOn(i -> !i.detected())
                    .extracting(IncidentScore::row).isEmpty();

            List<Alert> live = demo.alerts();
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", demo.stack().broker().bootstrapServers());
            Backtest.Result replay;
            try (TopicEvents events = new TopicEvents(props, Contracts.EVENTS_TOPIC, 0, Long.MAX_VALUE)) {
                replay = Backtest.run(RulesFile.defaults(), events, demo.stack().registryClient());
            }
            System.out.printf("live: %d alert records; backtest of %,d events: %d alert records%n", live.size(), replay.events(),
                    replay.alerts().size());

            assertThat(keys(replay.alerts(), false)).as("alerts of the backtest vs the live processor")
                    .isEqualTo(keys(live, false));
            assertThat(keys(replay.alerts(), true)).as("start times of the event-time rules")
                    .isEqualTo(keys(live, true));
        }
    }

    /** One line per alert record: fingerprint, name and status, with its start time for rules of event time. */
    private static TreeSet<String> keys(List<Alert> alerts, boolean withStart) {
        TreeSet<String> keys = new TreeSet<>();
        for (Alert a : alerts) {
            boolean wallClock = a.getAlertname().equals("AgentSilent");
            if (withStart && wallClock) {
                continue;
            }
            keys.add(a.getAlertname() + " " + a.getFingerprint() + " " + a.getStatus() + (withStart ? " " + a.getStartsAt() : ""));
        }
        return keys;
    }
}
