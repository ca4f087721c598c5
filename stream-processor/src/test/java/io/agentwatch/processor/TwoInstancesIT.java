package io.agentwatch.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.serde.AvroWireDeserializer;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.service.Responses;
import io.agentwatch.service.Settings;
import io.agentwatch.testsupport.Await;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processor instances of one application on the real broker, with exactly-once: a three-agent cascade inside
 * one trace, whose agents live on both instances, produces exactly one CascadeFailure naming the right root cause;
 * and the query endpoints of one instance answer for an agent (and a session) that the other instance owns.
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TwoInstancesIT {
    private static final int PARTITIONS = 6;
    private final List<ProcessorApp> apps = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        apps.forEach(ProcessorApp::close);
    }

    @Test
    void shouldRaiseOneCascadeAcrossInstancesAndAnswerQueriesForKeysTheOtherInstanceOwns(KafkaStack stack, @TempDir Path dir) throws Exception {
        String events = stack.uniqueName("events");
        String alerts = stack.uniqueName("alerts");
        String dlq = stack.uniqueName("events-dlq");
        String rules = stack.uniqueName("rules");
        String control = stack.uniqueName("control");
        stack.createTopic(events, PARTITIONS);
        stack.createTopic(alerts, 3);
        stack.createTopic(dlq, 1);
        stack.createTopic(rules, 1, Map.of("cleanup.policy", "compact"));
        stack.createTopic(control, 1);
        String applicationId = stack.uniqueName("processor");
        Map<String, String> common = new HashMap<>(Map.of(
                ProcessorSettings.BOOTSTRAP, stack.bootstrapServers(),
                ProcessorSettings.REGISTRY, stack.registryUrl(),
                ProcessorSettings.APPLICATION_ID, applicationId,
                ProcessorSettings.EVENTS_TOPIC, events,
                ProcessorSettings.ALERTS_TOPIC, alerts,
                ProcessorSettings.EVENTS_DLQ_TOPIC, dlq,
                ProcessorSettings.RULES_TOPIC, rules,
                ProcessorSettings.CONTROL_TOPIC, control,
                ProcessorSettings.THREADS, "1",
                ProcessorSettings.COMMIT_INTERVAL, "200ms"));
        common.put(ProcessorSettings.CLOSE_TIMEOUT, "10s");
        common.put(ProcessorSettings.HTTP_TOKEN, "secret-token");
        ProcessorApp one = start(common, dir.resolve("one"));
        ProcessorApp two = start(common, dir.resolve("two"));
        HostInfo hostOne = HostInfo.buildFromEndpoint(one.config().applicationServer());
        HostInfo hostTwo = HostInfo.buildFromEndpoint(two.config().applicationServer());
        Await.atMost(Duration.ofSeconds(90)).until(() -> running(one) && running(two) && activeTasks(one) + activeTasks(two) == PARTITIONS
                && activeTasks(one) > 0 && activeTasks(two) > 0);

        // the crew: the root on one instance, the others on the other (whichever owns the trace's partition)
        String root = agentOwnedBy(one, hostOne, "orchestrator");
        String middle = agentOwnedBy(one, hostTwo, "researcher");
        String leaf = agentOwnedBy(one, hostTwo, "fact-checker");
        String trace = UUID.randomUUID().toString().replace("-", "");
        long t = System.currentTimeMillis() - 120_000;
        List<AgentEvent> cascade = List.of(
                // the downstream agents' spans first: children before their parents
                span(leaf, trace, "c000000000000001", "b000000000000001", Operation.INVOKE_AGENT, Status.OK, t + 2_000),
                span(leaf, trace, "c000000000000002", "c000000000000001", Operation.EXECUTE_TOOL, Status.ERROR, t + 2_800),
                span(middle, trace, "b000000000000001", "a000000000000001", Operation.INVOKE_AGENT, Status.OK, t + 800),
                span(middle, trace, "b000000000000002", "b000000000000001", Operation.EXECUTE_TOOL, Status.ERROR, t + 1_500),
                span(root, trace, "a000000000000001", null, Operation.INVOKE_AGENT, Status.OK, t),
                span(root, trace, "a000000000000002", "a000000000000001", Operation.EXECUTE_TOOL, Status.ERROR, t + 500));
        Map<String, Object> producerProps = stack.producerProps();
        try (KafkaProducer<String, AgentEvent> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new AvroWireSerializer<>(stack.registryClient(), false, true))) {
            for (AgentEvent e : cascade) {
                producer.send(new ProducerRecord<>(events, e.getAgentId(), e));
            }
            producer.flush();
            // later events on every partition move every task's stream time past the settle period
            for (int p = 0; p < PARTITIONS; p++) {
                String agent = agentOnPartition("later", p);
                for (int i = 0; i < 3; i++) {
                    AgentEvent later = span(agent, UUID.randomUUID().toString().replace("-", ""), String.format("%016x", 100 + i), null,
                            Operation.CHAT, Status.OK, t + 20_000 + i * 1_000);
                    later.setSessionId("session-of-" + agent);
                    producer.send(new ProducerRecord<>(events, agent, later));
                }
            }
            producer.flush();
        }

        Map<String, Object> consumerProps = stack.consumerProps(stack.uniqueName("alerts-reader"));
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Alert> cascades = new ArrayList<>();
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new AvroWireDeserializer<>(stack.registryClient(), Alert.class))) {
            consumer.subscribe(List.of(alerts));
            Await.atMost(Duration.ofSeconds(90)).until(() -> {
                poll(consumer, cascades);
                return !cascades.isEmpty();
            });
            // and no second one: keep reading for a while
            Await.atMost(Duration.ofSeconds(12)).during(Duration.ofSeconds(8)).until(() -> {
                poll(consumer, cascades);
                return cascades.size() == 1;
            });
        }
        Alert alert = cascades.get(0);
        assertThat(alert.getRootCauseAgentId()).isEqualTo(root);
        assertThat(alert.getLabels().get("affected_agents").split(",")).containsExactlyInAnyOrder(root, middle, leaf);
        assertThat(alert.getScope().getTraceId()).isEqualTo(trace);
        assertThat(alert.getEvidenceTraceIds()).containsExactly(trace);

        // queries: instance one answers for agents and sessions that instance two owns
        String base = one.httpUrl();
        Map<String, Object> agent = Await.atMost(Duration.ofSeconds(30)).until(() -> getJson(base + "/api/agents/" + middle), a -> a != null);
        assertThat(agent).containsEntry("agent_id", middle).containsEntry("instance", two.config().applicationServer());
        assertThat(agent).containsKeys("windows", "tools", "active_alerts");
        String otherAgent = agentOnPartition("later", partitionOwnedBy(one, hostTwo));
        Map<String, Object> session = Await.atMost(Duration.ofSeconds(30))
                .until(() -> getJson(base + "/api/sessions/session-of-" + otherAgent), s -> s != null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> states = (List<Map<String, Object>>) session.get("states");
        assertThat(states).singleElement().satisfies(s -> assertThat(s).containsEntry("agent_id", otherAgent)
                .containsEntry("instance", two.config().applicationServer()));
        Map<String, Object> fleet = getJson(base + "/api/fleet");
        assertThat(fleet).containsEntry("instances", 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fleetAgents = (List<Map<String, Object>>) fleet.get("agents");
        assertThat(fleetAgents).extracting(a -> a.get("agent_id")).contains(root, middle, leaf);
        HttpResponse<String> unauthorised = http.send(HttpRequest.newBuilder(URI.create(base + "/api/fleet")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorised.statusCode()).isEqualTo(401);
    }

    private ProcessorApp start(Map<String, String> common, Path stateDir) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(common);
        settings.put(ProcessorSettings.STATE_DIR, stateDir.toString());
        settings.put(ProcessorSettings.HTTP_HOST, "127.0.0.1");
        settings.put(ProcessorSettings.HTTP_PORT, Integer.toString(port));
        settings.put(ProcessorSettings.APPLICATION_SERVER, "127.0.0.1:" + port);
        ProcessorApp app = ProcessorApp.start(ProcessorConfig.from(Settings.load(ProcessorSettings.all(), null, Map.of(), settings)));
        apps.add(app);
        return app;
    }

    private static boolean running(ProcessorApp app) {
        return app.streams().state() == KafkaStreams.State.RUNNING;
    }

    /** Active tasks of the agents' sub-topology (the cascades' sub-topology has as many tasks again). */
    private static int activeTasks(ProcessorApp app) {
        return (int) app.streams().metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
                .filter(task -> task.taskId().subtopology() == 1).count();
    }

    /** An agent id (prefix + a number) whose partition the given instance owns. */
    private static String agentOwnedBy(ProcessorApp any, HostInfo owner, String prefix) {
        for (int i = 0; i < 1_000; i++) {
            String agent = prefix + "-" + i;
            KeyQueryMetadata meta = any.streams().queryMetadataForKey(StoreNames.AGENT_SCOPES, agent, new StringSerializer());
            if (owner.equals(meta.activeHost())) {
                return agent;
            }
        }
        throw new IllegalStateException("no agent id found on " + owner);
    }

    private static int partitionOwnedBy(ProcessorApp any, HostInfo owner) {
        for (int p = 0; p < PARTITIONS; p++) {
            KeyQueryMetadata meta = any.streams().queryMetadataForKey(StoreNames.AGENT_SCOPES, agentOnPartition("later", p), new StringSerializer());
            if (owner.equals(meta.activeHost())) {
                return p;
            }
        }
        throw new IllegalStateException("no partition owned by " + owner);
    }

    /** The first agent id (prefix + a number) that the default partitioner puts on the partition. */
    private static String agentOnPartition(String prefix, int partition) {
        for (int i = 0; ; i++) {
            String agent = prefix + "-" + i;
            if (Utils.toPositive(Utils.murmur2(agent.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return agent;
            }
        }
    }

    private static AgentEvent span(String agent, String trace, String span, String parent, Operation op, Status status, long ts) {
        return AgentEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTimestamp(Instant.ofEpochMilli(ts))
                .setAgentId(agent)
                .setTenant("acme")
                .setWorkflow("deep-research")
                .setSessionId("session-" + agent + "-" + trace)
                .setTraceId(trace)
                .setSpanId(span)
                .setParentSpanId(parent)
                .setOperation(op)
                .setStatus(status)
                .setToolName(op == Operation.EXECUTE_TOOL ? "lookup" : null)
                .setLatencyMs(800L)
                .setInputTokens(op == Operation.CHAT ? 500L : null)
                .setOutputTokens(op == Operation.CHAT ? 100L : null)
                .build();
    }

    private static void poll(KafkaConsumer<String, Alert> consumer, List<Alert> cascades) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.value().getAlertname().equals("CascadeFailure") && r.value().getStatus() == AlertStatus.FIRING) {
                cascades.add(r.value());
            }
        });
    }

    /** The JSON body of a 200 answer; null for any other status (not yet committed, rebalancing). */
    private Map<String, Object> getJson(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer secret-token").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            return null;
        }
        return Responses.JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }
}
