package io.agentwatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final List<Setting> DECLARED = List.of(
            Setting.of("http.port", "8080", "port of the HTTP server"),
            Setting.of("events.topic", "agent.events", "input topic"),
            Setting.of("commit.interval", "100ms", "commit interval"),
            Setting.required("application.id", "the Kafka Streams application id"),
            Setting.secret("pagerduty.routing-key", "PagerDuty routing key"));

    @TempDir
    Path dir;

    @Test
    void shouldTakeEnvironmentOverFileOverDefault() throws IOException {
        Path file = write("http.port=9000\nevents.topic=from-file\napplication.id=app\n");

        Settings s = Settings.load(DECLARED, file, Map.of("AGENTWATCH_HTTP_PORT", "9100"), Map.of());

        assertThat(s.integer("http.port", 0, 65535)).isEqualTo(9100);
        assertThat(s.string("events.topic")).isEqualTo("from-file");
        assertThat(s.duration("commit.interval")).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldLetTheCommandLineWinOverEverything() {
        Settings s = Settings.load(DECLARED, null, Map.of("AGENTWATCH_APPLICATION_ID", "env"), Map.of("application.id", "cli"));

        assertThat(s.string("application.id")).isEqualTo("cli");
    }

    @Test
    void shouldFailStartUpNamingAMissingRequiredSetting() {
        assertThatThrownBy(() -> Settings.load(DECLARED, null, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'application.id'")
                .hasMessageContaining("AGENTWATCH_APPLICATION_ID");
    }

    @Test
    void shouldRejectAnUnknownKeyInTheFileAsATypo() throws IOException {
        Path file = write("application.id=a\nhttp.prot=9000\n");

        assertThatThrownBy(() -> Settings.load(DECLARED, file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.prot");
    }

    @Test
    void shouldNameTheSettingAndItsOriginWhenAValueHasTheWrongForm() {
        Settings s = Settings.load(DECLARED, null, Map.of("AGENTWATCH_APPLICATION_ID", "a", "AGENTWATCH_HTTP_PORT", "eighty"), Map.of());

        assertThatThrownBy(() -> s.integer("http.port", 0, 65535))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.port'")
                .hasMessageContaining("'eighty'")
                .hasMessageContaining("env AGENTWATCH_HTTP_PORT");
    }

    @Test
    void shouldPassKafkaEnvironmentAndFilePropertiesThroughButNotScriptVariables() throws IOException {
        Path file = write("application.id=a\nkafka.bootstrap.servers=file:9092\nkafka.linger.ms=5\n");
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "KAFKA_SASL_JAAS_CONFIG", "secret-jaas",
                "KAFKA_HEAP_OPTS", "-Xmx1g");

        Settings s = Settings.load(DECLARED, file, env, Map.of());

        assertThat(s.kafka())
                .containsEntry("bootstrap.servers", "env:9092")
                .containsEntry("linger.ms", "5")
                .containsEntry("sasl.jaas.config", "secret-jaas")
                .doesNotContainKey("heap.opts");
    }

    @Test
    void shouldNeverShowSecretsOrKafkaCredentials() throws IOException {
        Path secretFile = dir.resolve("routing-key");
        Files.writeString(secretFile, "R0UT1NGKEY\n");
        Settings s = Settings.load(DECLARED, null, Map.of(
                "AGENTWATCH_APPLICATION_ID", "a",
                "AGENTWATCH_PAGERDUTY_ROUTING_KEY_FILE", secretFile.toString(),
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"hunter2\";",
                "KAFKA_SSL_KEY_PASSWORD", "hunter3"), Map.of());

        assertThat(s.string("pagerduty.routing-key")).isEqualTo("R0UT1NGKEY");
        assertThat(s.describe()).doesNotContain("R0UT1NGKEY").doesNotContain("hunter2").doesNotContain("hunter3");
        assertThat(s.toString()).doesNotContain("R0UT1NGKEY").doesNotContain("hunter2");
        assertThatThrownBy(() -> s.integer("pagerduty.routing-key", 0, 1))
                .hasMessageNotContaining("R0UT1NGKEY")
                .hasMessageContaining("[hidden]");
    }

    @Test
    void shouldParseHumanDurations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("unit");
        assertThatThrownBy(() -> Durations.parse("10 weeks")).hasMessageContaining("unknown unit");
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("settings.properties");
        Files.writeString(file, content);
        return file;
    }
}
