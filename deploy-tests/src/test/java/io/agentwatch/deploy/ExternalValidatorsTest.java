package io.agentwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real tools, where installed (.ci/run installs yamllint, promtool, amtool and docker-compose from Debian and
 * dockerfile-utils from npm; kubectl comes with the machine image): yamllint on every YAML file of docker/ and
 * k8s/, the Dockerfile linter on the three Dockerfiles, {@code kubectl kustomize}
 * on each overlay (and its output equal to this module's own render, so that the invariants were checked on
 * what kustomize really produces), promtool on the Prometheus config and rules, amtool on the Alertmanager
 * config, {@code docker-compose config} on the compose files. A missing tool fails its test: .ci/run installs them all.
 */
class ExternalValidatorsTest {

    @Test
    void shouldPassYamllint() throws Exception {
        Result r = run(Repo.root(), "yamllint", "-f", "parsable", "-c", Repo.path("deploy-tests/src/test/resources/yamllint.yaml").toString(), "docker", "k8s");
        assertThat(r.code()).as("yamllint:\n%s", r.output()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void shouldRenderWithKubectlKustomizeExactlyAsTheChecksDid(String dir) throws Exception {
        Result r = run(Repo.root(), "kubectl", "kustomize", dir);
        assertThat(r.code()).as("kubectl kustomize %s:\n%s", dir, r.output()).isZero();
        Map<String, JsonNode> real = byId(Yaml.documents(r.output()));
        Map<String, JsonNode> ours = byId(new ArrayList<>(Kustomize.render(Repo.path(dir))));
        assertThat(ours.keySet()).isEqualTo(real.keySet());
        for (String id : real.keySet()) {
            assertThat(normalized(ours.get(id))).as("%s: %s as kustomize renders it", dir, id).isEqualTo(normalized(real.get(id)));
            for (JsonNode c : Rendered.podSpec(real.get(id)).path("containers")) {
                assertThat(K8sManifestsTest.undefinedReferences(c)).as("%s %s: $(VAR) references to variables defined later or not at all", dir, id).isEmpty();
            }
        }
    }

    /**
     * A copy with the lists that strategic merge keys (containers, env, volumes, volumeMounts, ports) sorted by
     * their key: kustomize places items a patch adds by apimachinery's ordering rules, which this module's
     * renderer does not reproduce. Order that matters ($(VAR) references in env) is checked separately.
     */
    private static JsonNode normalized(JsonNode node) {
        JsonNode copy = node.deepCopy();
        sortKeyedLists(copy);
        return copy;
    }

    private static void sortKeyedLists(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> {
                String key = Map.of("containers", "name", "env", "name", "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort").get(e.getKey());
                if (key != null && e.getValue() instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
                    List<JsonNode> items = new ArrayList<>();
                    a.forEach(items::add);
                    items.sort(java.util.Comparator.comparing(i -> i.path(key).asText()));
                    a.removeAll();
                    items.forEach(a::add);
                }
                sortKeyedLists(e.getValue());
            });
        } else if (node != null && node.isArray()) {
            node.forEach(ExternalValidatorsTest::sortKeyedLists);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream-processor", "alert-sink", "ingest-gateway"})
    void shouldPassTheDockerfileLinter(String service) throws Exception {
        Result r = run(Repo.root(), "dockerfile-utils", "lint", "docker/" + service + "/Dockerfile");
        assertThat(r.code()).as("dockerfile-utils lint docker/%s/Dockerfile:\n%s", service, r.output()).isZero();
        assertThat(r.output().strip()).as("no warnings either").isEmpty();
    }

    @Test
    void shouldPassPromtool() throws Exception {
        Result config = run(Repo.path("docker/prometheus"), "promtool", "check", "config", "prometheus.yml");
        assertThat(config.code()).as("promtool check config:\n%s", config.output()).isZero();
        Result rules = run(Repo.path("docker/prometheus"), "promtool", "check", "rules", "rules/agentwatch.yml");
        assertThat(rules.code()).as("promtool check rules:\n%s", rules.output()).isZero();
    }

    @Test
    void shouldPassAmtool() throws Exception {
        Result r = run(Repo.path("docker/alertmanager"), "amtool", "check-config", "alertmanager.yml");
        assertThat(r.code()).as("amtool:\n%s", r.output()).isZero();
    }

    @Test
    void shouldPassDockerComposeConfig() throws Exception {
        Result main = run(Repo.path("docker"), "docker-compose", "-f", "compose.yml", "config", "-q");
        assertThat(main.code()).as("docker-compose config:\n%s", main.output()).isZero();
        Result confluent = run(Repo.path("docker"), "docker-compose", "-f", "compose.yml", "-f", "compose.confluent.yml", "config", "-q");
        assertThat(confluent.code()).as("docker-compose config (Confluent):\n%s", confluent.output()).isZero();
    }

    private static Map<String, JsonNode> byId(List<? extends JsonNode> docs) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode d : docs) {
            out.put(d.path("kind").asText() + "/" + d.path("metadata").path("namespace").asText() + "/" + d.path("metadata").path("name").asText(),
                    d instanceof ObjectNode ? d : d.deepCopy());
        }
        return out;
    }

    record Result(int code, String output) {
    }

    /**
     * Runs the tool; its exit code and its output. A tool that is not installed fails the test (a skipped check
     * would pass silently): .ci/run installs every one of them.
     */
    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        assertThat(onPath(command[0])).as(command[0] + " is not installed: run .ci/run (or install it as it does)").isTrue();
        Path out = Files.createTempFile("validator", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
