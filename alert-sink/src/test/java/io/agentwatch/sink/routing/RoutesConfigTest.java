package io.agentwatch.sink.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwatch.schema.Severity;
import io.agentwatch.service.ConfigException;
import io.agentwatch.sink.testing.Alerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesConfigTest {
    static final String ROUTES = """
            route:
              receiver: chat
              group_by: [alertname]
              routes:
                - matchers: ['severity="critical"']
                  receiver: pager
                  continue: true
                - matchers: ['severity="critical"']
                  receiver: chat
                  group_wait: 30s
                - matchers: ['severity=~"warning|info"']
                  receiver: hourly
                - matchers: ['tenant="beta"', 'alertname!~"Agent.*"']
                  receiver: hooks
            receivers:
              - name: pager
                type: pagerduty
                routing_key_env: PD_KEY
              - name: chat
                type: slack
                url_env: SLACK_URL
              - name: hourly
                type: digest
                period: 1h
                send_to: chat
              - name: hooks
                type: webhook
                url: http://127.0.0.1:9/hook
                retry: {max_attempts: 3, initial_backoff: 100ms, max_backoff: 1s, max_elapsed: 10s}
            """;
    static final Map<String, String> ENV = Map.of("PD_KEY", "R0UT1NGKEY0123456789", "SLACK_URL", "https://hooks.slack.com/services/T0/B0/XYZ");

    private static List<String> receiversFor(RoutesConfig config, Severity severity, String alertname) {
        var alert = Alerts.firing("fp1", alertname, severity, "agent-1").build();
        return config.router().routesFor(AlertLabels.of(alert)).stream().map(Route::receiver).toList();
    }

    @Test
    void shouldPageAndChatForCriticalAlertsBecauseTheFirstRouteContinues() {
        RoutesConfig config = RoutesConfig.parse(ROUTES, "test", ENV);

        assertThat(receiversFor(config, Severity.CRITICAL, "AgentErrorRateHigh")).containsExactly("pager", "chat");
    }

    @Test
    void shouldSendWarningsToTheDigestAndStopThere() {
        RoutesConfig config = RoutesConfig.parse(ROUTES, "test", ENV);

        assertThat(receiversFor(config, Severity.WARNING, "AgentTokenDrift")).containsExactly("hourly");
        assertThat(receiversFor(config, Severity.INFO, "AgentSilent")).containsExactly("hourly");
    }

    @Test
    void shouldFallBackToTheRootReceiverWhenNoChildMatches() {
        RoutesConfig config = RoutesConfig.parse(ROUTES, "test", ENV);

        assertThat(receiversFor(config, Severity.ERROR, "AgentErrorRateHigh")).containsExactly("chat");
    }

    @Test
    void shouldInheritGroupingFromTheParentAndLetAChildOverrideIt() {
        RoutesConfig config = RoutesConfig.parse(ROUTES, "test", ENV);
        Route pager = config.root().routes().get(0);
        Route chat = config.root().routes().get(1);

        assertThat(pager.groupBy()).containsExactly("alertname");
        assertThat(pager.immediate()).isTrue();
        assertThat(chat.groupWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(chat.groupInterval()).as("group_interval defaults to group_wait when only the wait is set").isEqualTo(Duration.ofSeconds(30));
        assertThat(chat.immediate()).isFalse();
    }

    @Test
    void shouldReadSecretsFromEnvironmentAndFilesAndNeverShowThem(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("pd-key");
        Files.writeString(keyFile, "FILEKEY123456\n");
        RoutesConfig config = RoutesConfig.parse(ROUTES.replace("routing_key_env: PD_KEY", "routing_key_file: " + keyFile), "test", ENV);

        ReceiverSpec pager = config.receivers().get("pager");
        assertThat(pager.routingKey().orElseThrow().value()).isEqualTo("FILEKEY123456");
        assertThat(pager.toString()).doesNotContain("FILEKEY123456");
        assertThat(config.receivers().get("chat").toString()).doesNotContain("XYZ").contains("env SLACK_URL");
        assertThat(pager.url().orElseThrow().value()).isEqualTo("https://events.pagerduty.com/v2/enqueue");
    }

    @Test
    void shouldNameTheBadKeyWhenADurationIsWrong() {
        String bad = ROUTES.replace("group_wait: 30s", "group_wait: 30 parsecs");

        assertThatThrownBy(() -> RoutesConfig.parse(bad, "routes file x.yaml", ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes file x.yaml: route.routes[1].group_wait");
    }

    @Test
    void shouldNameAnUnknownKey() {
        String bad = ROUTES.replace("continue: true", "contine: true");

        assertThatThrownBy(() -> RoutesConfig.parse(bad, "test", ENV))
                .hasMessageContaining("route.routes[0].contine is not a known key");
    }

    @Test
    void shouldRefuseAMissingSecretEnvironmentVariableWithoutShowingOtherSecrets() {
        assertThatThrownBy(() -> RoutesConfig.parse(ROUTES, "test", Map.of("SLACK_URL", "https://hooks.slack.com/services/T0/B0/XYZ")))
                .hasMessageContaining("receivers[pager].routing_key_env names environment variable PD_KEY, which is not set")
                .hasMessageNotContaining("XYZ");
    }

    @Test
    void shouldRefuseASlackUrlWrittenInTheFile() {
        String bad = ROUTES.replace("url_env: SLACK_URL", "url: https://hooks.slack.com/services/T0/B0/XYZ");

        assertThatThrownBy(() -> RoutesConfig.parse(bad, "test", ENV))
                .hasMessageContaining("receivers[chat].url must not be written in the file")
                .hasMessageNotContaining("XYZ");
    }

    @Test
    void shouldRefuseARouteToAnUnknownReceiverAndADigestThroughAPager() {
        assertThatThrownBy(() -> RoutesConfig.parse(ROUTES.replace("receiver: hooks", "receiver: hookz"), "test", ENV))
                .hasMessageContaining("route.routes[3].receiver names no receiver: 'hookz'");
        assertThatThrownBy(() -> RoutesConfig.parse(ROUTES.replace("send_to: chat", "send_to: pager"), "test", ENV))
                .hasMessageContaining("receivers[hourly].send_to a digest is sent through a slack or webhook receiver");
    }

    @Test
    void shouldRefuseABadMatcherNamingIt() {
        assertThatThrownBy(() -> RoutesConfig.parse(ROUTES.replace("'severity=~\"warning|info\"'", "'severity=~\"(warning\"'"), "test", ENV))
                .hasMessageContaining("route.routes[2].matchers[0]")
                .hasMessageContaining("not a regular expression");
    }

    @Test
    void shouldLoadTheDefaultRoutesFileWithoutAnySecret() {
        RoutesConfig config = RoutesConfig.loadDefault(Map.of());

        assertThat(config.receivers()).containsOnlyKeys("log");
        assertThat(receiversFor(config, Severity.CRITICAL, "CascadeFailure")).containsExactly("log");
    }

    @Test
    void shouldLoadTheExampleRoutesFileWhenItsVariablesAreSet() {
        Path example = Path.of("config/routes.example.yaml");
        Map<String, String> env = Map.of("PD_ROUTING_KEY", "0123456789abcdef", "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/C",
                "ALERTMANAGER_URL", "http://127.0.0.1:9093");

        RoutesConfig config = RoutesConfig.load(example, env);

        assertThat(receiversFor(config, Severity.CRITICAL, "AgentErrorRateHigh")).contains("pagerduty");
        assertThat(receiversFor(config, Severity.WARNING, "AgentTokenDrift")).contains("hourly-digest");
    }
}
