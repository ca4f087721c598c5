package io.agentwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwatch.embedded.TopicPlan;
import io.agentwatch.processor.ProcessorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/compose.yml (and the Confluent override): pinned images, healthchecks, and settings that agree with the apps. */
class ComposeTest {
    private static final JsonNode COMPOSE = Yaml.single(Repo.path("docker/compose.yml"));
    private static final JsonNode CONFLUENT = Yaml.single(Repo.path("docker/compose.confluent.yml"));

    @Test
    void shouldPinEveryImageToAnExactVersion() {
        for (JsonNode file : List.of(COMPOSE, CONFLUENT)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = file.path("services").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> s = it.next();
                if (s.getValue().has("image")) {
                    assertThat(Checks.unpinned(s.getValue().path("image").asText())).as("service %s", s.getKey()).isNull();
                } else {
                    assertThat(file).as("service %s has an image in the main file", s.getKey()).isSameAs(CONFLUENT);
                }
            }
        }
    }

    @Test
    void shouldGiveEveryLongRunningServiceAHealthcheckAndWaitForWhatItNeeds() {
        Map<String, JsonNode> services = services();
        for (Map.Entry<String, JsonNode> s : services.entrySet()) {
            JsonNode svc = s.getValue();
            boolean oneShot = svc.path("restart").asText().equals("no");
            if (oneShot) {
                assertThat(services.values()).as("%s: a one-shot job others wait for", s.getKey())
                        .anySatisfy(o -> assertThat(o.path("depends_on").path(s.getKey()).path("condition").asText()).isEqualTo("service_completed_successfully"));
            } else if (svc.has("build")) {
                Service service = Service.byId(s.getKey()).orElseThrow(() -> new AssertionError("built service " + s.getKey() + " is no agentwatch service"));
                assertThat(service.dockerfile().healthcheck()).as("%s: the image's HEALTHCHECK", s.getKey()).isNotEmpty();
                assertThat(svc.path("build").path("dockerfile").asText()).isEqualTo("docker/" + s.getKey() + "/Dockerfile");
            } else {
                assertThat(svc.path("healthcheck").path("test").isArray()).as("%s healthcheck", s.getKey()).isTrue();
            }
            for (Iterator<String> deps = svc.path("depends_on").fieldNames(); deps.hasNext(); ) {
                assertThat(services).as("%s depends on", s.getKey()).containsKey(deps.next());
            }
        }
    }

    @Test
    void shouldAgreeWithTheAppsOnSettingsPortsStateAndStopGrace() throws IOException {
        Map<String, JsonNode> services = services();
        String prometheus = Files.readString(Repo.path("docker/prometheus/prometheus.yml"));
        for (Service service : Service.values()) {
            JsonNode svc = services.get(service.id);
            assertThat(svc).as("compose runs %s", service.id).isNotNull();
            Map<String, String> env = environment(svc);
            assertThat(service.unknownSettings(env)).as("%s: AGENTWATCH_* variables no setting declares", service.id).isEmpty();
            String port = service.effective(env, "http.port");
            assertThat(svc.path("ports")).as("%s publishes its HTTP port", service.id)
                    .anySatisfy(p -> assertThat(p.asText()).endsWith(":" + port));
            assertThat(prometheus).as("Prometheus scrapes %s", service.id).contains("\"" + service.id + ":" + port + "\"");
            String registry = service.effective(env, "schema.registry.url");
            assertThat(registry).as("%s registry", service.id).startsWith("http://schema-registry:");
            String timeout = service == Service.STREAM_PROCESSOR ? "close.timeout" : "shutdown.timeout";
            assertThat(Checks.seconds(svc.path("stop_grace_period").asText()))
                    .as("%s: stop_grace_period > %s", service.id, timeout).isGreaterThan(Checks.seconds(service.effective(env, timeout)));
        }
        JsonNode processor = services.get("stream-processor");
        String stateDir = Service.STREAM_PROCESSOR.effective(environment(processor), ProcessorSettings.STATE_DIR);
        assertThat(processor.path("volumes")).as("the processor's state.dir %s is a volume", stateDir)
                .anySatisfy(v -> assertThat(v.asText()).endsWith(":" + stateDir));
        assertThat(environment(processor).get("KAFKA_GROUP_INSTANCE_ID")).as("static membership").isNotBlank();
    }

    @Test
    void shouldCreateTheTopicsOfTheLocalStackPlan() throws IOException {
        String script = Files.readString(Repo.path("docker/kafka-init/create-topics.sh"));
        Matcher m = Pattern.compile("(?m)^topic (\\S+) (\\d+)(.*)$").matcher(script);
        List<TopicPlan> created = new ArrayList<>();
        while (m.find()) {
            Map<String, String> configs = new LinkedHashMap<>();
            Matcher c = Pattern.compile("--config (\\S+)=(\\S+)").matcher(m.group(3));
            while (c.find()) {
                configs.put(c.group(1), c.group(2));
            }
            created.add(new TopicPlan(m.group(1), Integer.parseInt(m.group(2)), configs));
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(TopicPlan.defaults());
        assertThat(Files.isExecutable(Repo.path("docker/kafka-init/create-topics.sh"))).isTrue();
    }

    private static Map<String, JsonNode> services() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        COMPOSE.path("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map<String, String> environment(JsonNode svc) {
        Map<String, String> env = new LinkedHashMap<>();
        svc.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
