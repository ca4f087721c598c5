package io.agentwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What each image promises, read from its Dockerfile (the images cannot be built here: no Docker engine). The
 * ENTRYPOINT and HEALTHCHECK themselves are run by ImagesAndDashboardIT.
 */
class DockerfilesTest {

    @ParameterizedTest
    @EnumSource(Service.class)
    void shouldPinEveryBaseImageByTagAndDigest(Service service) {
        List<String> bases = service.dockerfile().baseImages();
        assertThat(bases).as("%s: a build stage and a runtime stage", service.id).hasSize(2);
        for (String ref : bases) {
            assertThat(Checks.unpinned(ref)).as("%s FROM %s", service.id, ref).isNull();
            assertThat(Checks.hasDigest(ref)).as("%s FROM %s has a digest", service.id, ref).isTrue();
        }
        assertThat(bases.get(1)).as("%s runs on a JRE, not the build image", service.id).contains("-jre");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void shouldRunAsANonRootUserWithBoundedHeapLabelsAndAHealthcheckOnTheAppsPort(Service service) {
        Dockerfile d = service.dockerfile();
        Dockerfile runtime = d.finalStage();
        List<Dockerfile.Instruction> users = runtime.all("USER");
        assertThat(users).as("%s: USER in the runtime stage", service.id).isNotEmpty();
        String user = users.get(users.size() - 1).arguments().split(":")[0];
        assertThat(user).as("%s runs as", service.id).isNotIn("0", "root").matches("\\d+");

        List<String> entrypoint = d.entrypoint();
        assertThat(entrypoint).as("%s ENTRYPOINT", service.id).anyMatch(a -> a.matches("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?"))
                .contains(service.mainClass);
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(loadable(service.mainClass)).as("%s main class on the module's classpath", service.id).isTrue();

        Map<String, String> labels = d.labels();
        for (String key : List.of("title", "description", "version", "revision", "created", "source")) {
            assertThat(labels).as("%s OCI label %s", service.id, key).containsKey("org.opencontainers.image." + key);
        }

        Map<String, String> env = d.env();
        String port = service.effective(env, "http.port");
        assertThat(port).as("%s: the image's HTTP port is the app's default", service.id)
                .isEqualTo(service.settings.stream().filter(s -> s.key().equals("http.port")).findFirst().orElseThrow().defaultValue());
        assertThat(service.effective(env, "http.host")).as("%s listens beyond loopback in a container", service.id).isEqualTo("0.0.0.0");
        assertThat(runtime.all("EXPOSE")).extracting(Dockerfile.Instruction::arguments).as("%s EXPOSE", service.id).containsExactly(port);
        List<String> health = d.healthcheck();
        assertThat(health).as("%s HEALTHCHECK probes the app's port and /health", service.id).containsSubsequence("HealthProbe", port, "/health");
        assertThat(service.unknownSettings(env)).as("%s: ENV names no setting declares", service.id).isEmpty();
    }

    @Test
    void shouldPreloadJemallocInTheProcessorImage() {
        // under glibc's malloc the processor's resident memory kept growing after RocksDB's budget was full (memory soak)
        Dockerfile runtime = Service.STREAM_PROCESSOR.dockerfile().finalStage();
        String preload = Service.STREAM_PROCESSOR.dockerfile().env().get("LD_PRELOAD");
        assertThat(preload).as("stream-processor ENV LD_PRELOAD").isEqualTo("/usr/local/lib/libjemalloc.so.2");
        assertThat(runtime.all("RUN")).extracting(Dockerfile.Instruction::arguments).as("the runtime stage installs jemalloc and links it there")
                .anyMatch(run -> run.contains("libjemalloc2") && run.contains(preload));
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, DockerfilesTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
