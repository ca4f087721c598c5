package io.agentwatch.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.embedded.BrokerSettings;
import io.agentwatch.embedded.EmbeddedKafkaBroker;
import io.agentwatch.gateway.IngestGateway;
import io.agentwatch.gateway.bench.LoadGenerator;
import io.agentwatch.gateway.bench.TopicVerifier;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka stopped mid-run: clients posting OTLP batches all along get 503 (or 429) with Retry-After while the broker
 * is away, 200s again once it is back, and every span of every request answered 200 is on the topic afterwards.
 * The broker is a private one (the project's embedded broker, restarted on the same port and data directory); the
 * registry is the shared test stack's.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(300)
class KafkaOutageIT {
    private static final Logger log = LoggerFactory.getLogger(KafkaOutageIT.class);

    @Test
    void shouldAnswer503WithRetryAfterWhileKafkaIsDownAndLoseNothingAcknowledged(KafkaStack stack, @TempDir Path dir) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.of(0, dir));
        int port = broker.port();
        String bootstrap = broker.bootstrapServers();
        String topic = stack.uniqueName("events");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        TopicVerifier verifier = new TopicVerifier(Map.of("bootstrap.servers", bootstrap), stack.registryClient(), topic);
        Map<TopicPartition, Long> before = verifier.endOffsets();

        IngestGateway gateway = GatewayStackFixture.start(bootstrap, stack.registryUrl(), topic, Map.of(
                "publish.timeout", "3s", "backpressure.stall.timeout", "2s", "backpressure.retry.after", "1s"));
        LoadGenerator load = new LoadGenerator(new LoadGenerator.Options(URI.create(gateway.baseUrl() + "/v1/traces"),
                4, 60, 10, false, false, Optional.empty()));
        LoadGenerator.Result result;
        try {
            load.start();
            load.startMeasuring();
            Awaitility.await("requests acknowledged before the outage").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).until(() -> load.result().count(200) >= 20);

            load.phase("kafka stopped");
            broker.close();
            Awaitility.await("clients refused while Kafka is down").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).until(() -> refused(load, "kafka stopped") >= 8);

            broker = EmbeddedKafkaBroker.start(BrokerSettings.of(port, dir));
            load.phase("kafka back");
            Awaitility.await("requests acknowledged after the outage").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50)).until(() -> load.statusesByPhase().get("kafka back").getOrDefault(200, 0L) >= 20);
        } finally {
            load.stop();
            gateway.close();
        }
        result = load.result();
        try {
            TopicVerifier.Verdict verdict = verifier.verify(before, result.acknowledged(), result.spansPerRequest());

            Map<String, Map<Integer, Long>> phases = load.statusesByPhase();
            log.info("answers by phase {}; {} spans acknowledged, {} missing, {} records, {} duplicates", phases,
                    verdict.acknowledgedSpans(), verdict.missing(), verdict.records(), verdict.duplicates());
            assertThat(phases.get("kafka stopped")).as("answers while Kafka was down").containsKey(503);
            assertThat(result.refusalsWithoutRetryAfter()).as("every 429/503 carried Retry-After").isZero();
            assertThat(result.transportErrors()).as("the gateway kept answering").isZero();
            assertThat(verdict.acknowledgedSpans()).isGreaterThanOrEqualTo(40L * result.spansPerRequest());
            assertThat(verdict.missing()).as("acknowledged spans missing on the topic").isZero();
        } finally {
            broker.close();
        }
    }

    private static long refused(LoadGenerator load, String phase) {
        Map<Integer, Long> counts = load.statusesByPhase().getOrDefault(phase, Map.of());
        return counts.getOrDefault(503, 0L) + counts.getOrDefault(429, 0L);
    }
}
