package io.agentwatch.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new GatewayCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldDescribeItsOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("gateway", "--bootstrap", "--registry", "--port", "--tokens-file", "--set");
    }

    @Test
    void shouldRefuseToStartNamingTheSettingThatIsWrong(@TempDir Path dir) throws Exception {
        Path settings = Files.writeString(dir.resolve("gateway.properties"), "schema.registry.url=http://127.0.0.1:1\nhttp.prot=4318\n");
        assertThat(run("--config", settings.toString(), "--bootstrap", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot start the gateway").contains("http.prot");
    }

    @Test
    void shouldPassAnySettingWithSetAndNameItWhenItIsWrong() {
        assertThat(run("--registry", "http://127.0.0.1:1", "--bootstrap", "127.0.0.1:1", "--set", "publish.timeout=soon")).isEqualTo(2);
        assertThat(err.toString()).contains("publish.timeout").contains("soon");
    }

    @Test
    void shouldRefuseToStartWithoutKafka(@TempDir Path dir) throws Exception {
        Path settings = Files.writeString(dir.resolve("gateway.properties"), "schema.registry.url=http://127.0.0.1:1\n");
        assertThat(run("--config", settings.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("KAFKA_BOOTSTRAP_SERVERS");
    }
}
