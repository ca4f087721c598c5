package io.agentwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// a separate thread, so that a test blocked on a child process's output still times out
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ApicurioRegistryIT {
    private static final String SUBJECT = "persisted-value";

    @TempDir
    Path workDir;

    @Test
    void shouldKeepSchemasAndIdsAcrossARestartRefuseASecondRegistryAndLeaveNoProcessBehind() {
        int firstId;
        long firstPid;
        try (ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.persistent(0, workDir));
             SchemaRegistryClient client = registry.client()) {
            assertThat(registry.confluentUrl()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
            assertThat(client.compatibility(SUBJECT)).isEqualTo("BACKWARD");
            assertThatThrownBy(() -> ApicurioRegistry.start(RegistrySettings.persistent(0, workDir)))
                    .as("a second registry on the same directory")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(workDir.toAbsolutePath().toString())
                    .hasMessageContaining("in use");
            firstId = client.register(SUBJECT, AgentEvent.getClassSchema());
            firstPid = registry.pid();
        }
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).as("registry process after close").isEmpty();

        try (ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.persistent(0, workDir));
             SchemaRegistryClient client = registry.client()) {
            assertThat(client.subjects()).contains(SUBJECT);
            assertThat(client.latest(SUBJECT).id()).isEqualTo(firstId);
        }
        assertThat(workDir.resolve("registry.log")).isNotEmptyFile();
    }

    @Test
    void shouldStopTheOrphanThatAParentKilledWithSigkillLeftOnTheSameDirectory() throws Exception {
        // given a JVM that started a registry and was then killed with SIGKILL, leaving its child running
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RegistryParentMain.class.getName(), workDir.toString())
                .redirectErrorStream(true)
                .start();
        ProcessHandle orphan;
        try {
            long orphanPid = readyPid(parent);
            parent.destroyForcibly().waitFor();
            assertThat(orphanPid).as("pid the parent JVM reported").isPositive();
            orphan = ProcessHandle.of(orphanPid).orElseThrow();
            assertThat(orphan.isAlive()).as("the registry outlives its SIGKILLed parent").isTrue();
        } finally {
            parent.destroyForcibly();
        }

        // when a new registry starts on the same directory
        try (ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.persistent(0, workDir));
             SchemaRegistryClient client = registry.client()) {
            // then the orphan is gone and the new registry owns the database
            assertThat(orphan.isAlive()).as("orphan").isFalse();
            assertThat(client.register(SUBJECT, AgentEvent.getClassSchema())).isPositive();
        } finally {
            orphan.destroyForcibly();
        }
    }

    /** The registry pid from the parent's "READY <pid>" line, or -1 if the parent ends without one. */
    private static long readyPid(Process parent) throws IOException {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("READY ")) {
                    return Long.parseLong(line.substring("READY ".length()).trim());
                }
            }
            return -1;
        }
    }

    @Test
    void shouldNameThePortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> ApicurioRegistry.start(RegistrySettings.inMemory(port, workDir)))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessageContaining(String.valueOf(port))
                    .hasMessageContaining("schema registry");
        }
    }
}
