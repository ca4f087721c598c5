package io.agentwatch.reliability.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.embedded.EmbeddedKafkaCluster;
import io.agentwatch.reliability.support.AlertComparison;
import io.agentwatch.reliability.support.AlertLedger;
import io.agentwatch.reliability.support.ComparableRules;
import io.agentwatch.reliability.support.FaultFreeRun;
import io.agentwatch.reliability.support.GroupProgress;
import io.agentwatch.reliability.support.ProcessorFigures;
import io.agentwatch.reliability.support.ProcessorFleet;
import io.agentwatch.reliability.support.ProcessorInstance;
import io.agentwatch.reliability.support.ProcessorScenarioLength;
import io.agentwatch.reliability.support.ProcessorTopics;
import io.agentwatch.reliability.support.SeededFleetInput;
import io.agentwatch.schema.Alert;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3, broker loss: a three-broker KRaft cluster in this JVM (replication factor 3, min.insync.replicas 2
 * for every topic, internal ones included). Mid-run, the broker leading input partition 0 is stopped; processing
 * goes on with the other two; the broker comes back. Nothing is lost: every input record is still there and
 * processed, and the alerts equal a fault-free run's on the same cluster.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 45, unit = TimeUnit.MINUTES)
class BrokerLossIT {

    @Test
    void shouldLoseNothingWhenTheLeaderOfTheInputGoesAwayAndComesBack(KafkaStack stack, @TempDir Path work) throws Exception {
        long events = ProcessorScenarioLength.pick(20_000L, 300_000L);
        Duration away = Duration.ofSeconds(ProcessorScenarioLength.pick(10, 60));
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(work.resolve("cluster"), 3, Map.of());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            ProcessorTopics topics = ProcessorTopics.create(admin, "brokerloss", 6, (short) 3, Map.of("min.insync.replicas", "2"));
            long published = SeededFleetInput.publish(cluster.bootstrapServers(), stack.registryUrl(), topics.events(),
                    SeededFleetInput.config(events, ProcessorScenarioLength.pick(50.0, 100.0)));
            Path rules = ComparableRules.write(work);
            FaultFreeRun.Result expected = FaultFreeRun.run(settings(cluster, admin, stack, topics, work, rules, "fault-free"), admin,
                    stack.registryClient(), Duration.ofMinutes(20));

            ProcessorFleet.Settings settings = settings(cluster, admin, stack, topics, work, rules, "faulty");
            GroupProgress progress = new GroupProgress(admin, settings.applicationId(), topics.events(), topics.eventPartitions());
            long stalledMs;
            long committedAtStop;
            int leader;
            try (ProcessorFleet fleet = new ProcessorFleet(settings)) {
                ProcessorInstance processor = fleet.instance("processor").start();
                progress.awaitCommittedInput(published / 3, Duration.ofMinutes(10), processor::isAlive, "before the broker loss");

                // the broker that leads input partition 0 goes away
                leader = leaderOf(admin, topics.events(), 0);
                committedAtStop = progress.committedInput();
                long stopped = System.nanoTime();
                cluster.stopBroker(leader);
                long t = System.nanoTime();
                while (progress.committedInput() <= committedAtStop) {
                    assertThat(processor.isAlive()).as("the processor survives the broker loss; see " + processor.logFile()).isTrue();
                    assertThat(System.nanoTime() - t).as("processing resumes without broker " + leader).isLessThan(Duration.ofMinutes(3).toNanos());
                    Thread.sleep(100);
                }
                stalledMs = (System.nanoTime() - stopped) / 1_000_000;
                long left = stopped + away.toNanos() - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }
                cluster.startBroker(leader);
                cluster.awaitBrokers(3, Duration.ofMinutes(1));
                progress.awaitDone(Duration.ofMinutes(20), Duration.ofSeconds(5), processor::isAlive, "after the broker came back");
                processor.stop();
            }
            List<Alert> actual = AlertLedger.readAll(cluster.bootstrapServers(), stack.registryClient(), settings.alertsTopic());
            long stored = endOffsets(admin, topics.events());
            AlertComparison comparison = AlertComparison.of(expected.alerts(), actual);
            new ProcessorFigures("broker-loss")
                    .add("events", published)
                    .add("events on the topic afterwards", stored)
                    .add("faults injected", "broker %d (leader of input partition 0) stopped at %d committed input records, back after %d s",
                            leader, committedAtStop, away.toSeconds())
                    .add("time to recover (commits resume)", "%d ms after the broker stopped", stalledMs)
                    .comparison(comparison)
                    .print();
            assertThat(stored).as("no input record lost").isEqualTo(published);
            assertThat(comparison.examples()).as("differences from the fault-free run").isEmpty();
        }
    }

    private static ProcessorFleet.Settings settings(EmbeddedKafkaCluster cluster, Admin admin, KafkaStack stack, ProcessorTopics topics, Path work,
                                                    Path rules, String run) {
        String applicationId = stack.uniqueName("brokerloss-" + run);
        String alerts = topics.createAlerts(admin, applicationId + "-alerts", Map.of("min.insync.replicas", "2"));
        return new ProcessorFleet.Settings(cluster.bootstrapServers(), stack.registryUrl(), topics, alerts, applicationId, work, rules, 2, 0, Map.of());
    }

    private static int leaderOf(Admin admin, String topic, int partition) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        TopicPartitionInfo p = d.partitions().get(partition);
        return p.leader().id();
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        d.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
    }
}
