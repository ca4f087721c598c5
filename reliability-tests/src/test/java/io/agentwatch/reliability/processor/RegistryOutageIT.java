package io.agentwatch.reliability.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.reliability.support.AlertComparison;
import io.agentwatch.reliability.support.AlertLedger;
import io.agentwatch.reliability.support.ComparableRules;
import io.agentwatch.reliability.support.FaultFreeRun;
import io.agentwatch.reliability.support.GroupProgress;
import io.agentwatch.reliability.support.NewSchemaEvent;
import io.agentwatch.reliability.support.ProcessorFigures;
import io.agentwatch.reliability.support.ProcessorFleet;
import io.agentwatch.reliability.support.ProcessorInstance;
import io.agentwatch.reliability.support.ProcessorScenarioLength;
import io.agentwatch.reliability.support.ProcessorTopics;
import io.agentwatch.reliability.support.RegistryOutageProxy;
import io.agentwatch.reliability.support.SeededFleetInput;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.serde.WireFormat;
import io.agentwatch.simulator.FleetSimulator;
import io.agentwatch.simulator.SimulationConfig;
import io.agentwatch.simulator.publish.KafkaEventSink;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6, schema registry outage: the processor reaches the registry through a proxy that the test turns off
 * (first refusing connections, then accepting and never answering). During the outage, events whose schema id the
 * processor has cached keep being processed (and their alerts written); an event written with a new schema version
 * (a new id) waits, is neither dropped nor dead-lettered, and is processed once the registry is back. The alerts
 * then equal those of a fault-free run of the same input.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class RegistryOutageIT {
    private static final String PROBE_AGENT = "outage-probe-agent";

    @Test
    void shouldKeepProcessingKnownSchemasAndProcessANewSchemaIdAfterTheRegistryComesBack(KafkaStack stack, @TempDir Path work) throws Exception {
        long events = ProcessorScenarioLength.pick(20_000L, 100_000L);
        Duration outage = Duration.ofSeconds(ProcessorScenarioLength.pick(15, 60));
        ProcessorTopics topics = ProcessorTopics.create(stack.admin(), stack.uniqueName("outage"), 6, (short) 1, Map.of());
        SimulationConfig simulation = SeededFleetInput.config(events, 100.0);
        List<AgentEvent> all = new ArrayList<>();
        new FleetSimulator(simulation).iterator().forEachRemaining(all::add);
        List<AgentEvent> before = all.subList(0, all.size() / 2);
        List<AgentEvent> during = all.subList(all.size() / 2, all.size());
        Path rules = ComparableRules.write(work);
        int registryPort = URI.create(stack.registryUrl()).getPort();

        try (RegistryOutageProxy proxy = new RegistryOutageProxy(registryPort)) {
            ProcessorFleet.Settings settings = settings(stack, topics, work, rules, "outage", proxy.confluentUrl());
            GroupProgress progress = new GroupProgress(stack.admin(), settings.applicationId(), topics.events(), topics.eventPartitions());
            try (ProcessorFleet fleet = new ProcessorFleet(settings)) {
                // given a processor that has decoded the current schema once
                ProcessorInstance processor = fleet.instance("processor").start();
                processor.awaitRunning(Duration.ofMinutes(3));
                publish(stack, topics.events(), before);
                progress.awaitCommittedInput(before.size(), Duration.ofMinutes(5), processor::isAlive, "before the outage");

                // when the registry goes away
                long alertsAtOutage = RegistryOutageSupport.endOffsets(stack, settings.alertsTopic());
                long outageStart = System.nanoTime();
                proxy.mode(RegistryOutageProxy.Mode.REFUSE);
                publish(stack, topics.events(), during);
                progress.awaitCommittedInput(all.size(), Duration.ofMinutes(5), processor::isAlive, "known schema ids during the outage");
                long knownDoneMs = (System.nanoTime() - outageStart) / 1_000_000;
                long alertsDuringOutage = RegistryOutageSupport.endOffsets(stack, settings.alertsTopic()) - alertsAtOutage;

                // and an event with a schema id the processor has never seen arrives
                AgentEvent probe = probe(all.get(all.size() - 1));
                RecordMetadata probeAt = sendWithNewSchema(stack, topics.events(), probe);
                RegistryOutageSupport.sleepUntil(outageStart + outage.toNanos() / 2);
                proxy.mode(RegistryOutageProxy.Mode.HANG);
                RegistryOutageSupport.sleepUntil(outageStart + outage.toNanos());
                TopicPartition probePartition = new TopicPartition(topics.events(), probeAt.partition());
                long committedAtRecovery = committed(stack, settings.applicationId(), probePartition);
                long deadLettersDuringOutage = ProcessorCrashIT.endOffset(stack, topics.dlq());
                boolean aliveThroughOutage = processor.isAlive();
                proxy.mode(RegistryOutageProxy.Mode.UP);
                long recovered = System.nanoTime();
                long outageMs = (recovered - outageStart) / 1_000_000;

                // then the waiting event is processed once the registry is back
                while (committed(stack, settings.applicationId(), probePartition) <= probeAt.offset()) {
                    assertThat(processor.isAlive()).as("the processor is still running; see " + processor.logFile()).isTrue();
                    assertThat(System.nanoTime() - recovered).as("the new schema id is processed within 3 minutes of recovery")
                            .isLessThan(Duration.ofMinutes(3).toNanos());
                    Thread.sleep(100);
                }
                long recoverMs = (System.nanoTime() - recovered) / 1_000_000;
                progress.awaitDone(Duration.ofMinutes(5), Duration.ofSeconds(5), processor::isAlive, "after the outage");
                String log = processor.logSinceStart();
                processor.stop();

                List<Alert> actual = AlertLedger.readAll(stack.bootstrapServers(), stack.registryClient(), settings.alertsTopic());
                long deadLetters = ProcessorCrashIT.endOffset(stack, topics.dlq());
                ProcessorFleet.Settings reference = settings(stack, topics, work, rules, "fault-free", stack.registryUrl());
                FaultFreeRun.Result expected = FaultFreeRun.run(reference, stack.admin(), stack.registryClient(), Duration.ofMinutes(10));
                AlertComparison comparison = AlertComparison.of(expected.alerts(), actual);
                boolean probeAlert = actual.stream().anyMatch(a -> a.getAlertname().equals("AgentIterationLimitHit")
                        && PROBE_AGENT.equals(a.getScope().getAgentId()));

                new ProcessorFigures("registry-outage")
                        .add("events", all.size() + 1)
                        .add("events with a known schema id during the outage", during.size())
                        .add("faults injected", "registry unreachable %d ms (refusing connections, then hanging them); %d connections refused or hung",
                                outageMs, proxy.refusedConnections())
                        .add("known-id events processed after", "%d ms of outage", knownDoneMs)
                        .add("alert records written during the outage", alertsDuringOutage)
                        .add("new-id event committed at recovery", committedAtRecovery > probeAt.offset() ? "yes (WRONG)" : "no (waiting, as it should)")
                        .add("time to recover (new-id event processed)", "%d ms after the registry came back", recoverMs)
                        .add("processor restarts", processor.starts() - 1)
                        .add("stream threads replaced", count(log, "replacing the thread"))
                        .add("dead-lettered events", deadLetters)
                        .add("alert for the new-id event", probeAlert)
                        .comparison(comparison)
                        .print();

                assertThat(aliveThroughOutage).as("the processor kept running through the outage").isTrue();
                assertThat(knownDoneMs).as("known schema ids were processed while the registry was away").isLessThan(outageMs);
                assertThat(committedAtRecovery).as("the new-id event waited for the registry").isLessThanOrEqualTo(probeAt.offset());
                assertThat(deadLettersDuringOutage).as("nothing dead-lettered during the outage").isZero();
                assertThat(deadLetters).as("nothing dead-lettered").isZero();
                assertThat(probeAlert).as("the event with the new schema id was processed (its AgentIterationLimitHit alert)").isTrue();
                assertThat(processor.starts()).as("the processor was never restarted").isEqualTo(1);
                assertThat(comparison.examples()).as("differences from the fault-free run").isEmpty();
            }
        }
    }

    private static ProcessorFleet.Settings settings(KafkaStack stack, ProcessorTopics topics, Path work, Path rules, String run, String registryUrl) {
        String applicationId = stack.uniqueName("outage-" + run);
        String alerts = topics.createAlerts(stack.admin(), applicationId + "-alerts", Map.of());
        return new ProcessorFleet.Settings(stack.bootstrapServers(), registryUrl, topics, alerts, applicationId, work, rules, 2, 0, Map.of());
    }

    private static void publish(KafkaStack stack, String topic, List<AgentEvent> events) {
        try (KafkaEventSink sink = KafkaEventSink.create(stack.bootstrapServers(), stack.registryUrl(), topic, Map.of())) {
            events.forEach(sink::send);
            sink.flush();
        }
    }

    /** A run of an agent of its own that hits its iteration limit: one AgentIterationLimitHit when processed. */
    private static AgentEvent probe(AgentEvent last) {
        return AgentEvent.newBuilder(last)
                .setEventId("00000000-0000-4000-8000-0000000000aa")
                .setAgentId(PROBE_AGENT)
                .setSessionId("outage-probe-session")
                .setTraceId("0000000000000000000000000000abcd")
                .setSpanId("000000000000abcd")
                .setParentSpanId(null)
                .setOperation(Operation.INVOKE_AGENT)
                .setIteration(10)
                .setMaxIterations(10)
                .setTimestamp(last.getTimestamp().plusSeconds(1))
                .build();
    }

    private static RecordMetadata sendWithNewSchema(KafkaStack stack, String topic, AgentEvent event) throws Exception {
        // registered directly with the registry, which the producer can reach; the processor cannot
        byte[] value = NewSchemaEvent.encode(event, stack.registryClient(), WireFormat.subject(topic, false));
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, null, event.getTimestamp().toEpochMilli(),
                    event.getAgentId().getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static long committed(KafkaStack stack, String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata c = stack.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(partition);
        return c == null ? 0 : c.offset();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

}
