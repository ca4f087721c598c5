package io.agentwatch.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.ProcessorApp;
import io.agentwatch.processor.ProcessorConfig;
import io.agentwatch.processor.ProcessorSettings;
import io.agentwatch.processor.ingest.DeadLetters;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.service.Settings;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor end to end on a real broker and registry: an error burst on one agent among healthy ones yields
 * exactly one FIRING and one RESOLVED AgentErrorRateHigh for that agent and nothing for the others; poison pills
 * land in the dead-letter topic while good events are processed; /metrics shows the counters.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessorIT {
    @TempDir
    Path stateDir;

    @Test
    void shouldRaiseOneIncidentForTheFlakyAgentDeadLetterPoisonAndExposeMetrics(KafkaStack stack) throws Exception {
        String events = stack.uniqueName("events");
        String alerts = stack.uniqueName("alerts");
        String dlq = stack.uniqueName("dlq");
        String rules = stack.uniqueName("rules");
        String control = stack.uniqueName("control");
        stack.createTopic(events, 3);
        stack.createTopic(alerts, 2);
        stack.createTopic(dlq, 1);
        stack.createTopic(rules, 1, Map.of("cleanup.policy", "compact"));
        stack.createTopic(control, 1);

        // 35 minutes of event time, three hours ago: two healthy agents, one failing 30% between minutes 10 and 20
        long t0 = (System.currentTimeMillis() - Duration.ofHours(3).toMillis()) / 60_000 * 60_000;
        List<AgentEvent> traffic = new ArrayList<>();
        for (int second = 0; second < 35 * 60; second += 6) {
            for (String agent : List.of("healthy-1", "healthy-2", "flaky")) {
                boolean fails = agent.equals("flaky") && second >= 600 && second < 1200 && (second / 6) % 10 < 3;
                traffic.add(event(agent, t0 + second * 1_000L + agent.length(), fails));
            }
        }
        int poisonPills = produce(stack, events, traffic);

        Map<String, String> overrides = new HashMap<>();
        overrides.put(ProcessorSettings.APPLICATION_ID, stack.uniqueName("processor"));
        overrides.put(ProcessorSettings.BOOTSTRAP, stack.bootstrapServers());
        overrides.put(ProcessorSettings.REGISTRY, stack.registryUrl());
        overrides.put(ProcessorSettings.EVENTS_TOPIC, events);
        overrides.put(ProcessorSettings.ALERTS_TOPIC, alerts);
        overrides.put(ProcessorSettings.EVENTS_DLQ_TOPIC, dlq);
        overrides.put(ProcessorSettings.RULES_TOPIC, rules);
        overrides.put(ProcessorSettings.CONTROL_TOPIC, control);
        overrides.put(ProcessorSettings.STATE_DIR, stateDir.toString());
        overrides.put(ProcessorSettings.HTTP_PORT, "0");
        overrides.put(ProcessorSettings.THREADS, "2");
        overrides.put(ProcessorSettings.REPLICATION_FACTOR, "1");
        ProcessorConfig config = ProcessorConfig.from(Settings.load(ProcessorSettings.all(), null, Map.of(), overrides));

        try (ProcessorApp app = ProcessorApp.start(config);
             KafkaConsumer<String, Alert> consumer = alertConsumer(stack, alerts)) {
            List<ConsumerRecord<String, Alert>> records = new ArrayList<>();
            Await.atMost(Duration.ofMinutes(3)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream().filter(r -> r.value().getAlertname().equals("AgentErrorRateHigh")
                        && r.value().getStatus() == AlertStatus.RESOLVED).count() >= 1;
            });
            // let anything else that would (wrongly) follow arrive too
            Await.atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(3)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return true;
            });

            List<Alert> errorRate = records.stream().map(ConsumerRecord::value).filter(a -> a.getAlertname().equals("AgentErrorRateHigh")).toList();
            assertThat(errorRate).extracting(a -> a.getScope().getAgentId() + ":" + a.getStatus())
                    .containsExactly("flaky:FIRING", "flaky:RESOLVED");
            assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getFingerprint()));
            assertThat(records).extracting(r -> r.value().getScope().getAgentId()).containsOnly("flaky");

            List<ConsumerRecord<byte[], byte[]>> dead = Await.records(rawConsumer(stack, dlq), poisonPills, Duration.ofMinutes(1));
            assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .containsExactlyInAnyOrder("unknown-magic-byte", "truncated-payload", "invalid-field", "unknown-schema-id");
            assertThat(dead).allSatisfy(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(events));

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.httpUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics)
                    .contains("agentwatch_events_processed_total")
                    .contains("agentwatch_events_dead_lettered_total{reason=\"invalid-field\",service=\"stream-processor\"} 1.0")
                    .contains("agentwatch_alerts_emitted_total{alertname=\"AgentErrorRateHigh\",service=\"stream-processor\",severity=\"error\",status=\"firing\"} 1.0")
                    .contains("kafka_stream_");
            double processed = metricValue(metrics, "agentwatch_events_processed_total{service=\"stream-processor\"}");
            assertThat(processed).as("every valid event counted (the last tick may still be open)").isBetween(traffic.size() * 0.95, (double) traffic.size());
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.httpUrl() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    private static double metricValue(String scrape, String series) {
        return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(-1.0);
    }

    private static AgentEvent event(String agent, long ts, boolean fails) {
        return AgentEvent.newBuilder()
                .setEventId(agent + "-" + ts).setTimestamp(Instant.ofEpochMilli(ts)).setAgentId(agent).setTenant("acme")
                .setSessionId("s-" + agent + "-" + ts / 300_000).setTraceId(String.format("%032x", ts)).setSpanId(String.format("%016x", ts))
                .setOperation(Operation.CHAT).setStatus(fails ? Status.ERROR : Status.OK).setLatencyMs(900L)
                .setInputTokens(700L).setOutputTokens(150L).setCostUsd(0.001).build();
    }

    /** Produces the traffic keyed by agent, plus four poison pills; returns the number of poison pills. */
    private static int produce(KafkaStack stack, String topic, List<AgentEvent> traffic) throws Exception {
        Map<String, Object> props = stack.producerProps();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
             AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(stack.registryClient(), false, true)) {
            byte[] good = serializer.serialize(topic, traffic.get(0));
            byte[] badMagic = good.clone();
            badMagic[0] = 9;
            byte[] unknownId = good.clone();
            io.agentwatch.schema.serde.WireFormat.writeHeader(unknownId, 777_777);
            AgentEvent negative = event("healthy-1", traffic.get(0).getTimestamp().toEpochMilli(), false);
            negative.setLatencyMs(-3L);
            List<byte[]> poison = List.of(badMagic, Arrays.copyOf(good, good.length / 2), serializer.serialize(topic, negative), unknownId);
            for (int i = 0; i < traffic.size(); i++) {
                AgentEvent e = traffic.get(i);
                producer.send(new ProducerRecord<>(topic, e.getAgentId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, e)));
                if (i % 200 == 100 && i / 200 < poison.size()) {
                    producer.send(new ProducerRecord<>(topic, null, poison.get(i / 200)));
                }
            }
            producer.flush();
            return poison.size();
        }
    }

    private static KafkaConsumer<String, Alert> alertConsumer(KafkaStack stack, String topic) {
        Map<String, Object> props = stack.consumerProps(stack.uniqueName("alerts-reader"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new AvroWireDeserializer<>(stack.registryClient(), Alert.class));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static KafkaConsumer<byte[], byte[]> rawConsumer(KafkaStack stack, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(stack.consumerProps(stack.uniqueName("dlq-reader")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
