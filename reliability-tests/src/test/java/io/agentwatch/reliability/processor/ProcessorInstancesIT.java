package io.agentwatch.reliability.processor;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2, instances join and leave: two instances (one stream thread each) share the six tasks; a third joins,
 * one leaves cleanly, one is SIGKILLed and a new one joins, while the backlog is processed. The alerts equal the
 * fault-free run's. Run twice, without and with a standby replica; at the end one of the two last instances is
 * SIGKILLed and the survivor's restoration (records and time) is measured: the standby shortens it.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ProcessorInstancesIT {

    @Test
    void shouldNeitherLoseNorDuplicateAlertsWhileInstancesJoinAndLeaveAndStandbysShortenRecovery(KafkaStack stack, @TempDir Path work) throws Exception {
        long events = ProcessorScenarioLength.pick(20_000L, 300_000L);
        ProcessorTopics topics = ProcessorTopics.create(stack.admin(), stack.uniqueName("instances"), 6, (short) 1, Map.of());
        long published = SeededFleetInput.publish(stack.bootstrapServers(), stack.registryUrl(), topics.events(), SeededFleetInput.config(events, ProcessorScenarioLength.pick(50.0, 100.0)));
        Path rules = ComparableRules.write(work);
        FaultFreeRun.Result expected = FaultFreeRun.run(settings(stack, topics, work, rules, "fault-free", 0), stack.admin(), stack.registryClient(),
                Duration.ofMinutes(20));

        // the short version (in the default test command) runs without a standby only: restoration from the changelog
        // is the path that moves state with its tasks; the long version adds the run with a standby and compares
        List<Integer> standbyRuns = ProcessorScenarioLength.pick(List.of(0), List.of(0, 1));
        Map<Integer, Recovery> runs = new TreeMap<>();
        for (int standbys : standbyRuns) {
            runs.put(standbys, runWithMembershipChanges(stack, topics, work, rules, standbys, published, expected.alerts()));
        }

        ProcessorFigures figures = new ProcessorFigures("processor-instances")
                .add("events", published)
                .add("faults injected per run", "join C, clean stop B, kill -9 A, join D, then kill -9 C at the end")
                .add("alerts expected (fault-free run)", expected.alerts().size());
        runs.forEach((standbys, r) -> figures
                .add("standby.replicas=" + standbys + ": lost/dup/unexpected", "%d / %d / %d", r.comparison.lost(), r.comparison.duplicated(),
                        r.comparison.unexpected())
                .add("restore after kill, standby.replicas=" + standbys, "%d records restored, %d ms restoring, %d ms from kill to RUNNING",
                        r.records, r.restoreMs, r.recoverMs));
        figures.print();

        for (Recovery r : runs.values()) {
            assertThat(r.comparison.examples()).as("differences from the fault-free run").isEmpty();
        }
        if (runs.containsKey(1)) {
            assertThat(runs.get(1).records).as("a standby replica leaves less to restore after a kill").isLessThan(runs.get(0).records);
            // times are printed, not compared: with a standby the restore phase still took 1.9 s for 0 records in one
            // run (3.4 s for 46k without), and kill to RUNNING is mostly failure detection and the rebalance
        }
    }

    /** What one run measured. */
    private record Recovery(AlertComparison comparison, long records, long restoreMs, long recoverMs) {
    }

    private Recovery runWithMembershipChanges(KafkaStack stack, ProcessorTopics topics, Path work, Path rules, int standbys, long published,
                                              List<Alert> expected) throws Exception {
        ProcessorFleet.Settings settings = settings(stack, topics, work, rules, "standby" + standbys, standbys);
        GroupProgress progress = new GroupProgress(stack.admin(), settings.applicationId(), topics.events(), topics.eventPartitions());
        Duration timeout = Duration.ofMinutes(20);
        try (ProcessorFleet fleet = new ProcessorFleet(settings)) {
            ProcessorInstance a = fleet.instance("a").start();
            ProcessorInstance b = fleet.instance("b").start();
            a.awaitRunning(Duration.ofMinutes(3));
            b.awaitRunning(Duration.ofMinutes(3));
            progress.awaitCommittedInput(published / 4, timeout, a::isAlive, "two instances");
            ProcessorInstance c = fleet.instance("c").start();
            c.awaitRunning(Duration.ofMinutes(3));
            progress.awaitCommittedInput(published * 2 / 5, timeout, a::isAlive, "three instances");
            b.stop();
            progress.awaitCommittedInput(published * 3 / 5, timeout, a::isAlive, "after b left");
            a.kill();
            ProcessorInstance d = fleet.instance("d").start();
            progress.awaitDone(timeout, Duration.ofSeconds(5), () -> c.isAlive() && d.isAlive(), "c and d after a was killed");

            // recovery: the state is complete; once the group has settled (a's departure noticed, c and d running),
            // kill c and watch d take over its tasks
            awaitSettled(List.of(c, d), Duration.ofSeconds(8));
            int mark = d.logSinceStart().length();
            long killed = System.nanoTime();
            c.kill();
            long recoverMs = awaitTakeOver(d, mark, killed);
            ProcessorInstance.Restored restored = ProcessorInstance.Restored.parse(d.logSinceStart().substring(mark));
            d.stop();
            List<Alert> actual = AlertLedger.readAll(stack.bootstrapServers(), stack.registryClient(), settings.alertsTopic());
            return new Recovery(AlertComparison.of(expected, actual), restored.records(), restored.millis(), recoverMs);
        }
    }

    /**
     * Waits until every instance's last state change is to RUNNING and none has changed state for {@code quiet}
     * (longer than the session timeout, so a member killed earlier has been noticed and its tasks moved).
     */
    private static void awaitSettled(List<ProcessorInstance> instances, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int[] last = new int[instances.size()];
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean running = true;
            for (int i = 0; i < instances.size(); i++) {
                String log = instances.get(i).logSinceStart();
                int changes = count(log, "Kafka Streams state ");
                if (changes != last[i]) {
                    last[i] = changes;
                    since = System.nanoTime();
                }
                int lastChange = log.lastIndexOf("Kafka Streams state ");
                running &= lastChange >= 0 && log.indexOf("-> RUNNING", lastChange) >= 0;
                assertThat(instances.get(i).isAlive()).as("instance runs; see " + instances.get(i).logFile()).isTrue();
            }
            if (running && System.nanoTime() - since >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the instances did not settle in RUNNING within 3 minutes");
    }

    /** Waits until {@code d} has rebalanced after the kill and finished every restoration it started; ms since the kill. */
    private static long awaitTakeOver(ProcessorInstance d, int mark, long killedNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            String text = d.logSinceStart().substring(mark);
            int rebalancing = text.indexOf("-> REBALANCING");
            boolean running = rebalancing >= 0 && text.indexOf("-> RUNNING", rebalancing) >= 0;
            if (running && count(text, "restoring ") == count(text, "restored ")) {
                return (System.nanoTime() - killedNanos) / 1_000_000;
            }
            assertThat(d.isAlive()).as("the surviving instance runs; see " + d.logFile()).isTrue();
            Thread.sleep(20);
        }
        throw new IllegalStateException("the surviving instance did not take over within 3 minutes; end of its log:\n" + d.tail());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static ProcessorFleet.Settings settings(KafkaStack stack, ProcessorTopics topics, Path work, Path rules, String run, int standbys) {
        String applicationId = stack.uniqueName("instances-" + run);
        String alerts = topics.createAlerts(stack.admin(), applicationId + "-alerts", Map.of());
        return new ProcessorFleet.Settings(stack.bootstrapServers(), stack.registryUrl(), topics, alerts, applicationId, work, rules, 1, standbys, Map.of());
    }
}
