package io.agentwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ApicurioRegistryIT {
    private static final String SUBJECT = "persisted-value";

    @TempDir
    Path workDir;

    @Test
    void shouldKeepSchemasAndIdsAcrossARestartAndLeaveNoProcessBehind() {
        int firstId;
        long firstPid;
        try (ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.persistent(0, workDir));
             SchemaRegistryClient client = registry.client()) {
            assertThat(registry.confluentUrl()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
            assertThat(client.compatibility(SUBJECT)).isEqualTo("BACKWARD");
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
    void shouldStopAnOrphanThatAKilledParentLeftOnTheSameDirectory() {
        ApicurioRegistry orphan = ApicurioRegistry.start(RegistrySettings.persistent(0, workDir));
        try {
            // a second start on the same directory, as after 'kill -9' of the JVM that started the first
            try (ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.persistent(0, workDir));
                 SchemaRegistryClient client = registry.client()) {
                assertThat(ProcessHandle.of(orphan.pid()).filter(ProcessHandle::isAlive)).as("orphan process").isEmpty();
                assertThat(client.register(SUBJECT, AgentEvent.getClassSchema())).isPositive();
            }
        } finally {
            orphan.close();
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
