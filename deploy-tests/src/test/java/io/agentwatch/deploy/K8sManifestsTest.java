package io.agentwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwatch.embedded.TopicPlan;
import io.agentwatch.processor.ProcessorSettings;
import io.agentwatch.service.ByteSizes;
import io.agentwatch.sink.SinkSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariants of k8s/, checked on the base and on each overlay as rendered (Kustomize: the patches resolved):
 * what operators rely on when they scale, drain, restart and upgrade.
 */
class K8sManifestsTest {
    /** JVM and native memory besides the heap and RocksDB: metaspace, code cache, thread stacks, direct buffers. */
    private static final long JVM_OVERHEAD = 384L * 1024 * 1024;

    static Stream<String> renders() {
        return Stream.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod");
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldGiveEveryContainerResourcesProbesAndAPinnedImage(String dir) {
        Rendered r = Rendered.of(dir);
        assertThat(r.workloads()).as("workloads of %s", dir).hasSizeGreaterThanOrEqualTo(2);
        for (ObjectNode w : r.workloads()) {
            for (JsonNode c : Rendered.podSpec(w).path("containers")) {
                String at = dir + " " + w.path("metadata").path("name").asText() + "/" + c.path("name").asText();
                JsonNode res = c.path("resources");
                assertThat(res.path("requests").has("cpu")).as("%s requests cpu", at).isTrue();
                assertThat(res.path("requests").has("memory")).as("%s requests memory", at).isTrue();
                assertThat(res.path("limits").has("memory")).as("%s limits memory", at).isTrue();
                assertThat(Checks.bytes(res.path("requests").path("memory").asText()))
                        .as("%s: memory request equal to the limit (no overcommit, no eviction surprise)", at)
                        .isEqualTo(Checks.bytes(res.path("limits").path("memory").asText()));
                assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).as("%s readiness", at).isEqualTo("/ready");
                assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).as("%s liveness", at).isEqualTo("/health");
                assertThat(Checks.unpinned(c.path("image").asText())).as("%s image", at).isNull();
                assertThat(undefinedReferences(c)).as("%s: $(VAR) references to variables defined later or not at all", at).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldRunTheProcessorAsAStatefulSetWithItsOwnStateStaticMembershipAndAGraceLongerThanTheCloseTimeout(String dir) {
        Rendered r = Rendered.of(dir);
        ObjectNode sts = r.require("StatefulSet", "stream-processor");
        JsonNode c = Rendered.container(sts, "stream-processor");
        Map<String, String> env = r.environment(c);

        String stateDir = Service.STREAM_PROCESSOR.effective(env, ProcessorSettings.STATE_DIR);
        List<String> claims = new ArrayList<>();
        sts.path("spec").path("volumeClaimTemplates").forEach(t -> claims.add(t.path("metadata").path("name").asText()));
        assertThat(claims).as("%s: a volume claim per pod", dir).isNotEmpty();
        assertThat(c.path("volumeMounts")).as("%s: state.dir %s on a claimed volume", dir, stateDir)
                .anySatisfy(m -> {
                    assertThat(m.path("mountPath").asText()).isEqualTo(stateDir);
                    assertThat(claims).contains(m.path("name").asText());
                });

        String headless = sts.path("spec").path("serviceName").asText();
        ObjectNode svc = r.require("Service", headless);
        assertThat(svc.path("spec").path("clusterIP").asText()).as("%s: %s is headless", dir, headless).isEqualTo("None");
        assertThat(Rendered.selects(svc.path("spec").path("selector"), sts)).as("%s: %s selects the processor pods", dir, headless).isTrue();

        assertThat(env.get("POD_NAME")).as("%s POD_NAME", dir).isEqualTo("<field:metadata.name>");
        assertThat(env.get("KAFKA_GROUP_INSTANCE_ID")).as("%s: group.instance.id from the pod name", dir).isEqualTo("$(POD_NAME)");
        int port = Integer.parseInt(Service.STREAM_PROCESSOR.effective(env, ProcessorSettings.HTTP_PORT));
        assertThat(env.get("AGENTWATCH_APPLICATION_SERVER")).as("%s: application.server is the pod's headless DNS name and HTTP port", dir)
                .startsWith("$(POD_NAME)." + headless + ".").endsWith(":" + port);

        long close = Checks.seconds(Service.STREAM_PROCESSOR.effective(env, ProcessorSettings.CLOSE_TIMEOUT));
        assertThat(Rendered.podSpec(sts).path("terminationGracePeriodSeconds").asLong()).as("%s: grace period > close.timeout %ss", dir, close)
                .isGreaterThan(close);

        assertThat(r.kind("PodDisruptionBudget")).as("%s: a PDB over the processor pods", dir)
                .anySatisfy(pdb -> assertThat(Rendered.selects(pdb.path("spec").path("selector").path("matchLabels"), sts)).isTrue());

        long limit = Checks.bytes(c.path("resources").path("limits").path("memory").asText());
        double heapShare = maxRamPercentage(Service.STREAM_PROCESSOR) / 100.0;
        long rocksDb = ByteSizes.parse(Service.STREAM_PROCESSOR.effective(env, ProcessorSettings.ROCKSDB_MEMORY));
        assertThat((long) (limit * heapShare) + rocksDb + JVM_OVERHEAD)
                .as("%s: heap (%s%% of %s) + rocksdb.memory (%s) + %s overhead within the limit", dir, heapShare * 100, limit, rocksDb, JVM_OVERHEAD)
                .isLessThanOrEqualTo(limit);
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldNeverScaleTheProcessorBeyondThePartitionsOfItsInputTopic(String dir) {
        Rendered r = Rendered.of(dir);
        ObjectNode sts = r.require("StatefulSet", "stream-processor");
        Map<String, String> env = r.environment(Rendered.container(sts, "stream-processor"));
        String eventsTopic = Service.STREAM_PROCESSOR.effective(env, ProcessorSettings.EVENTS_TOPIC);
        int partitions = topic(r, eventsTopic).path("spec").path("partitions").asInt();
        assertThat(partitions).as("%s: partitions of %s", dir, eventsTopic).isPositive();

        List<ObjectNode> scalers = r.kind("ScaledObject").stream()
                .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals("stream-processor")).toList();
        assertThat(scalers).as("%s: a KEDA ScaledObject for the processor", dir).hasSize(1);
        JsonNode spec = scalers.get(0).path("spec");
        assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo("StatefulSet");
        assertThat(spec.path("maxReplicaCount").asInt()).as("%s: KEDA maximum <= %s partitions", dir, partitions).isBetween(1, partitions);
        assertThat(spec.path("minReplicaCount").asInt()).as("%s: KEDA minimum", dir).isBetween(1, spec.path("maxReplicaCount").asInt());
        assertThat(sts.path("spec").has("replicas")).as("%s: the HPA owns replicas; a replicas field would fight it on every apply", dir).isFalse();

        assertThat(spec.path("triggers")).as("%s: scaling on lag only, not CPU", dir).hasSize(1);
        JsonNode trigger = spec.path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode meta = trigger.path("metadata");
        assertThat(meta.path("consumerGroup").asText()).as("%s: the processor's group is its application.id", dir)
                .isEqualTo(Service.STREAM_PROCESSOR.effective(env, ProcessorSettings.APPLICATION_ID));
        assertThat(meta.path("topic").asText()).isEqualTo(eventsTopic);
        assertThat(meta.path("bootstrapServers").asText()).as("%s: KEDA reads the cluster the processor reads", dir).isEqualTo(env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(meta.path("allowIdleConsumers").asText()).as("%s: no replicas beyond the partition count", dir).isEqualTo("false");
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldDeclareEveryTopicReplicatedThreeTimesWithTwoInSyncAndTheRulesCompacted(String dir) {
        Rendered r = Rendered.of(dir);
        for (TopicPlan plan : TopicPlan.defaults()) {
            JsonNode t = topic(r, plan.name());
            assertThat(t.path("metadata").path("labels").has("strimzi.io/cluster")).as("%s %s names its Kafka cluster", dir, plan.name()).isTrue();
            assertThat(t.path("spec").path("replicas").asInt()).as("%s %s replicas", dir, plan.name()).isEqualTo(3);
            assertThat(t.path("spec").path("config").path("min.insync.replicas").asText()).as("%s %s min ISR", dir, plan.name()).isEqualTo("2");
            assertThat(t.path("spec").path("partitions").asInt()).as("%s %s partitions", dir, plan.name()).isPositive();
            plan.configs().forEach((k, v) -> assertThat(t.path("spec").path("config").path(k).asText()).as("%s %s %s", dir, plan.name(), k).isEqualTo(v));
        }
        assertThat(topic(r, "agent.rules").path("spec").path("config").path("cleanup.policy").asText()).isEqualTo("compact");
        assertThat(r.kind("KafkaTopic")).as("%s: exactly the topics of the plan", dir).hasSize(TopicPlan.defaults().size());
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldRunTheSinkAsADeploymentBehindAServiceWithAGraceLongerThanItsShutdownTimeout(String dir) {
        Rendered r = Rendered.of(dir);
        ObjectNode sink = r.require("Deployment", "alert-sink");
        ObjectNode svc = r.require("Service", "alert-sink");
        assertThat(Rendered.selects(svc.path("spec").path("selector"), sink)).isTrue();
        Map<String, String> env = r.environment(Rendered.container(sink, "alert-sink"));
        long shutdown = Checks.seconds(Service.ALERT_SINK.effective(env, SinkSettings.SHUTDOWN_TIMEOUT));
        assertThat(Rendered.podSpec(sink).path("terminationGracePeriodSeconds").asLong()).isGreaterThan(shutdown);
        String routes = Service.ALERT_SINK.effective(env, SinkSettings.ROUTES_FILE);
        assertThat(Rendered.container(sink, "alert-sink").path("volumeMounts")).as("%s: the routes file %s is mounted", dir, routes)
                .anySatisfy(m -> assertThat(routes).startsWith(m.path("mountPath").asText() + "/"));
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldKeepSecretsInSecretsNeverInConfigMapsOrPlainEnvironment(String dir) {
        Rendered r = Rendered.of(dir);
        assertThat(r.kind("Secret")).as("%s: no Secret with values in the manifests (they are created out of band or by Strimzi)", dir).isEmpty();
        for (ObjectNode cm : r.kind("ConfigMap")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = cm.path("data").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = dir + " ConfigMap " + cm.path("metadata").path("name").asText() + " " + e.getKey();
                assertThat(Checks.secretLookingKey(e.getKey())).as("%s: a key that names a secret", at).isFalse();
                assertThat(Checks.secretLookingValue(e.getValue().asText())).as("%s: a value that holds a credential", at).isFalse();
                for (String line : e.getValue().asText().split("\n")) {
                    assertThat(line.strip()).as("%s: a routes file names its secrets (url_env, routing_key_env), never holds them", at)
                            .doesNotStartWith("routing_key:").doesNotMatch("url:\\s*https?://(hooks\\.slack\\.com|events\\.pagerduty\\.com).*");
                }
            }
        }
        for (ObjectNode w : r.workloads()) {
            for (JsonNode c : Rendered.podSpec(w).path("containers")) {
                for (JsonNode e : c.path("env")) {
                    String name = e.path("name").asText();
                    if (Checks.secretLookingKey(name)) {
                        assertThat(e.path("valueFrom").has("secretKeyRef")).as("%s %s: %s from a Secret", dir, c.path("name").asText(), name).isTrue();
                    }
                    if (e.has("value")) {
                        assertThat(Checks.secretLookingValue(e.path("value").asText())).as("%s %s: %s holds a credential", dir, c.path("name").asText(), name).isFalse();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("renders")
    void shouldAgreeOnPortsBetweenServicesProbesContainersMonitorsAndTheApps(String dir) {
        Rendered r = Rendered.of(dir);
        for (ObjectNode w : r.workloads()) {
            for (JsonNode c : Rendered.podSpec(w).path("containers")) {
                Service service = Service.byId(c.path("name").asText()).orElseThrow(() -> new AssertionError(dir + ": unknown container " + c.path("name")));
                Map<String, String> env = r.environment(c);
                assertThat(service.unknownSettings(env)).as("%s %s: AGENTWATCH_* variables no setting declares", dir, service.id).isEmpty();
                for (io.agentwatch.service.Setting s : service.settings) {
                    if (s.key().endsWith("topic")) {
                        String topic = service.effective(env, s.key());
                        assertThat(r.kind("KafkaTopic")).as("%s %s: %s = %s is a KafkaTopic", dir, service.id, s.key(), topic)
                                .anySatisfy(t -> assertThat(t.path("spec").path("topicName").asText()).isEqualTo(topic));
                    }
                }
                int appPort = Integer.parseInt(service.effective(env, "http.port"));
                assertThat(service.effective(env, "http.host")).as("%s %s listens beyond loopback", dir, service.id).isEqualTo("0.0.0.0");
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode port = c.path(probe).path("httpGet").path("port");
                    assertThat(Rendered.containerPort(w, port)).as("%s %s %s port %s", dir, service.id, probe, port)
                            .hasValueSatisfying(p -> assertThat(p.path("containerPort").asInt()).isEqualTo(appPort));
                }
            }
        }
        for (ObjectNode svc : r.kind("Service")) {
            List<ObjectNode> selected = r.workloads().stream().filter(w -> Rendered.selects(svc.path("spec").path("selector"), w)).toList();
            assertThat(selected).as("%s Service %s selects a workload", dir, svc.path("metadata").path("name").asText()).hasSize(1);
            for (JsonNode p : svc.path("spec").path("ports")) {
                assertThat(Rendered.containerPort(selected.get(0), p.path("targetPort"))).as("%s Service %s targetPort %s", dir,
                        svc.path("metadata").path("name").asText(), p.path("targetPort")).isPresent();
            }
        }
        List<ObjectNode> monitors = r.kind("ServiceMonitor");
        assertThat(monitors).as("%s: a ServiceMonitor", dir).isNotEmpty();
        for (ObjectNode m : monitors) {
            List<ObjectNode> scraped = r.kind("Service").stream()
                    .filter(s -> labelsMatch(m.path("spec").path("selector").path("matchLabels"), s.path("metadata").path("labels"))).toList();
            assertThat(scraped).extracting(s -> s.path("metadata").path("name").asText()).as("%s: services the ServiceMonitor scrapes", dir)
                    .containsExactlyInAnyOrder("stream-processor-headless", "alert-sink", "ingest-gateway");
            for (JsonNode ep : m.path("spec").path("endpoints")) {
                assertThat(ep.path("path").asText()).isEqualTo("/metrics");
                for (ObjectNode s : scraped) {
                    assertThat(s.path("spec").path("ports")).as("%s: %s has the monitored port %s", dir, s.path("metadata").path("name").asText(), ep.path("port"))
                            .anySatisfy(p -> assertThat(p.path("name").asText()).isEqualTo(ep.path("port").asText()));
                }
            }
        }
    }

    private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
                return false;
            }
        }
        return !selector.isEmpty();
    }

    /** $(VAR) references in env values that no earlier env entry defines (the kubelet would pass them literally). */
    static List<String> undefinedReferences(JsonNode container) {
        List<String> defined = new ArrayList<>();
        List<String> undefined = new ArrayList<>();
        for (JsonNode e : container.path("env")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(e.path("value").asText());
            while (m.find()) {
                if (!defined.contains(m.group(1))) {
                    undefined.add(e.path("name").asText() + " -> " + m.group(1));
                }
            }
            defined.add(e.path("name").asText());
        }
        return undefined;
    }

    static JsonNode topic(Rendered r, String topicName) {
        return r.kind("KafkaTopic").stream().filter(t -> t.path("spec").path("topicName").asText().equals(topicName)).findFirst()
                .orElseThrow(() -> new AssertionError(r.name() + ": no KafkaTopic for " + topicName));
    }

    /** The -XX:MaxRAMPercentage of the service's image ENTRYPOINT. */
    static double maxRamPercentage(Service service) {
        return service.dockerfile().entrypoint().stream().filter(a -> a.startsWith("-XX:MaxRAMPercentage="))
                .map(a -> Double.parseDouble(a.substring(a.indexOf('=') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(service.id + ": no -XX:MaxRAMPercentage in the ENTRYPOINT"));
    }
}
