package io.agentwatch.sink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.service.Setting;
import io.agentwatch.sink.AlertSink;
import io.agentwatch.sink.AlertSinkMain;
import io.agentwatch.sink.SinkSettings;
import io.agentwatch.sink.testing.Alerts;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A receiver that is down for a while, and a sink killed in the middle of a delivery. */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RecoveryIT {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecoveryIT.class);
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final String PD_KEY = "R0UT1NGKEYFORTHETEST0000000000ab";

    @TempDir
    Path dir;

    private static String routes(TestReceiver pd) {
        return """
                route:
                  receiver: pd
                receivers:
                  - name: pd
                    type: pagerduty
                    url: '%s'
                    routing_key_env: PD_KEY
                    retry: {max_attempts: 100, initial_backoff: 100ms, max_backoff: 1s, max_elapsed: 2m}
                """.formatted(pd.url());
    }

    /** FIRING for every fingerprint, then RESOLVED for every fingerprint. */
    private static List<Alert> incidents(int count) {
        List<Alert> firing = new ArrayList<>();
        List<Alert> resolved = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Alert a = Alerts.firing(String.format("%016x", 0xabc000L + i), "AgentErrorRateHigh", Severity.CRITICAL, "agent-" + i).build();
            firing.add(a);
            resolved.add(Alerts.resolvedOf(a, Instant.parse("2026-11-22T10:30:00Z")));
        }
        firing.addAll(resolved);
        return firing;
    }

    @Test
    void shouldDeliverEverythingInOrderPerFingerprintOnceAReceiverRecoversFrom503(KafkaStack stack) throws Exception {
        try (SinkFixture f = new SinkFixture(stack, dir, 3);
             TestReceiver pd = new TestReceiver("/v2/enqueue", 202)) {
            AtomicLong downUntil = new AtomicLong(Long.MAX_VALUE);
            pd.failWith = () -> System.nanoTime() < downUntil.get() ? 503 : 0;
            List<Alert> alerts = incidents(10);

            try (AlertSink sink = f.sink(routes(pd), Map.of("PD_KEY", PD_KEY))) {
                f.produce(alerts.toArray(Alert[]::new));
                Await.atMost(Duration.ofSeconds(30)).until(() -> pd.refused.get() >= 3);
                assertThat(pd.accepted()).as("nothing gets through while the receiver answers 503").isEmpty();

                downUntil.set(System.nanoTime());

                Await.atMost(Duration.ofSeconds(60)).until(() -> pd.accepted().size() >= 20);
                for (int i = 0; i < 10; i++) {
                    String key = alerts.get(i).getFingerprint();
                    assertThat(pd.actions(key)).as("in order for " + key).containsExactly("trigger", "resolve");
                    assertThat(pd.incidents).containsEntry(key, "resolved");
                }
                assertThat(f.deadLetters(0, Duration.ofSeconds(1))).isEmpty();
                String metrics = sink.meterRegistry().scrape();
                assertThat(metrics).contains("agentwatch_sink_delivery_retries_total{reason=\"http_503\",receiver=\"pd\"");
                Await.atMost(Duration.ofSeconds(10)).until(() -> sink.meterRegistry().scrape().contains("agentwatch_sink_alerts_in_flight{service=\"alert-sink\"} 0.0"));
            }
        }
    }

    @Test
    void shouldDeliverNothingTwiceAndLoseNothingWhenTheSinkProcessIsKilledMidDelivery(KafkaStack stack) throws Exception {
        try (SinkFixture f = new SinkFixture(stack, dir, 3);
             TestReceiver pd = new TestReceiver("/v2/enqueue", 202)) {
            pd.delayMillis = 150;
            List<Alert> alerts = incidents(20);
            f.produce(alerts.toArray(Alert[]::new));
            Map<String, String> settings = f.settings(routes(pd));

            Process first = startSinkProcess(settings, LOGS.resolve("sink-process-1.log"));
            try {
                Await.atMost(Duration.ofSeconds(60)).until(() -> pd.accepted().size() >= 12 && pd.inProgress.get() > 0);
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            int beforeRestart = pd.accepted().size();
            assertThat(beforeRestart).isLessThan(40);

            Process second = startSinkProcess(settings, LOGS.resolve("sink-process-2.log"));
            try {
                Await.atMost(Duration.ofSeconds(90)).until(() -> alerts.subList(0, 20).stream()
                        .allMatch(a -> "resolved".equals(pd.incidents.get(a.getFingerprint()))));
            } finally {
                second.destroy();
                second.waitFor(20, TimeUnit.SECONDS);
            }

            for (int i = 0; i < 20; i++) {
                String key = alerts.get(i).getFingerprint();
                assertThat(pd.opened.get(key)).as("PagerDuty opened exactly one incident for " + key).isEqualTo(1);
                assertThat(pd.actions(key)).as("trigger before resolve, nothing lost, for " + key)
                        .startsWith("trigger").endsWith("resolve").contains("resolve");
            }
            int redelivered = pd.accepted().size() - 40;
            log.info("killed after {} PagerDuty events had been accepted; after the restart {} event(s) were sent again, all absorbed by dedup_key",
                    beforeRestart, redelivered);
            assertThat(redelivered).as("a restart redelivers only what was in flight (the request cut off by the kill, and what was "
                    + "accepted after the last commit)").isBetween(0, 3);
        }
    }

    /** The sink as a real separate JVM: AlertSinkMain, configured only by environment variables. */
    private static Process startSinkProcess(Map<String, String> settings, Path logFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, AlertSinkMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        for (Setting s : SinkSettings.ALL) {
            if (settings.containsKey(s.key())) {
                pb.environment().put(s.envName(), settings.get(s.key()));
            }
        }
        pb.environment().put("PD_KEY", PD_KEY);
        // the killed process's group membership would otherwise hold its partitions for the default 45 s
        pb.environment().put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        pb.environment().put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        Files.createDirectories(logFile.getParent());
        return pb.start();
    }
}
