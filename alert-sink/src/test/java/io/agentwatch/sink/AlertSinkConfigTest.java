package io.agentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Settings;
import io.agentwatch.sink.cli.SinkCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up validation: a bad setting or routes file stops the sink before anything runs, naming the key. */
class AlertSinkConfigTest {
    private static AlertSink sink(Map<String, String> env, Map<String, String> secrets) {
        Settings settings = Settings.load(SinkSettings.ALL, null, env, Map.of());
        return new AlertSink(settings, secrets, () -> Instant.EPOCH);
    }

    @Test
    void shouldNameTheSettingAndItsVariableWhenAValueIsWrong() {
        assertThatThrownBy(() -> sink(Map.of("AGENTWATCH_HTTP_PORT", "80800"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.port' (AGENTWATCH_HTTP_PORT)")
                .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> sink(Map.of("AGENTWATCH_INHIBIT_HOLD", "soon"), Map.of()))
                .hasMessageContaining("'inhibit.hold' (AGENTWATCH_INHIBIT_HOLD)");
    }

    @Test
    void shouldStopOnARoutesFileWhoseSecretIsMissing(@TempDir Path dir) throws Exception {
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, "route: {receiver: pd}\nreceivers: [{name: pd, type: pagerduty, routing_key_env: PD_KEY}]\n");

        assertThatThrownBy(() -> sink(Map.of("AGENTWATCH_ROUTES_FILE", routes.toString()), Map.of()))
                .hasMessageContaining("receivers[pd].routing_key_env names environment variable PD_KEY, which is not set");
    }

    @Test
    void shouldStopOnAMissingRoutesFileNamingTheSetting() {
        assertThatThrownBy(() -> sink(Map.of("AGENTWATCH_ROUTES_FILE", "/nonexistent/routes.yaml"), Map.of()))
                .hasMessageContaining("routes file /nonexistent/routes.yaml (setting 'routes.file', AGENTWATCH_ROUTES_FILE)");
    }

    @Test
    void shouldUseTheBuiltInRoutesWhenNoneIsGiven() {
        try (AlertSink sink = sink(Map.of(), Map.of())) {
            assertThat(sink.routes().receivers()).containsOnlyKeys("log");
        }
    }

    @Test
    void shouldListEverySettingWithItsVariable() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SinkCommand());
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("--settings");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("AGENTWATCH_ROUTES_FILE").contains("AGENTWATCH_HTTP_TOKEN").contains("agentwatch-alert-sink");
    }
}
