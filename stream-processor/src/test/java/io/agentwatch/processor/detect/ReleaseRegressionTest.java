package io.agentwatch.processor.detect;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Outcome;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.SuggestedAction;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ReleaseRegression: a new agent_version compared with the previous one; rollback resolves. */
class ReleaseRegressionTest {
    private static final String REGRESSION = "ReleaseRegression";
    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Steps of a release: every tenth a finished run; {@code errorEvery} steps fail; latency as given. */
    private static Traffic.Factory release(String version, int errorEvery, long latencyMs, double cost) {
        return (a, t, n) -> {
            AgentEvent e = n % 10 == 9 ? Events.run(a, t, Outcome.SUCCEEDED, 5_000) : Events.step(a, t);
            e.setAgentVersion(version);
            if (n % 10 != 9) {
                e.setLatencyMs(latencyMs + n % 7 * 10);
                e.setCostUsd(cost);
                if (errorEvery > 0 && n % errorEvery == 0) {
                    e.setStatus(Status.ERROR);
                }
            }
            return e;
        };
    }

    @Test
    void shouldFireWhenTheNewReleaseFailsMoreAndIsSlowerNamingBothVersions() {
        new Traffic()
                .steps("releaser", 0, 20, 30, release("1.4.0", 100, 1_000, 0.001))
                .steps("releaser", 20, 32, 30, release("1.5.0", 10, 2_500, 0.001))
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), REGRESSION, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        Alert alert = firing.get(0);
        assertThat(alert.getLabels()).containsEntry("agent_version", "1.5.0").containsEntry("previous_version", "1.4.0");
        assertThat(alert.getLabels().get("regressed")).contains("error_rate").contains("latency_p95").doesNotContain("cost");
        assertThat(alert.getSuggestedAction()).isEqualTo(SuggestedAction.ROLLBACK_RELEASE);
        assertThat(alert.getValue()).as("the new error rate").isBetween(0.08, 0.12);
        assertThat(alert.getStartsAt().toEpochMilli()).as("after 100 events of the new release").isBetween(Traffic.minute(23), Traffic.minute(25));
        assertThat(alert.getSummary()).contains("1.5.0").contains("1.4.0");
    }

    @Test
    void shouldResolveAfterARollback() {
        new Traffic()
                .steps("releaser", 0, 20, 30, release("1.4.0", 100, 1_000, 0.001))
                .steps("releaser", 20, 30, 30, release("1.5.0", 10, 2_500, 0.001))
                .steps("releaser", 30, 45, 30, release("1.4.0", 100, 1_000, 0.001))
                .sendTo(fixture);

        List<Alert> alerts = fixture.alerts();
        assertThat(of(alerts, REGRESSION, AlertStatus.FIRING)).hasSize(1);
        List<Alert> resolved = of(alerts, REGRESSION, AlertStatus.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getEndsAt().toEpochMilli()).as("10 minutes after 1.5.0's last event").isBetween(Traffic.minute(40), Traffic.minute(41));
    }

    @Test
    void shouldFireOnTheCostPerSuccessfulRunAlone() {
        new Traffic()
                .steps("spender", 0, 20, 30, release("2.0.0", 0, 1_000, 0.001))
                .steps("spender", 20, 35, 30, release("2.1.0", 0, 1_000, 0.003))
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), REGRESSION, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getLabels()).containsEntry("regressed", "cost_per_successful_run");
        assertThat(firing.get(0).getValue() / firing.get(0).getBaseline()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void shouldStayQuietForAReleaseThatIsAsGoodAndForACanaryThatIs() {
        new Traffic()
                .steps("steady", 0, 20, 30, release("1.0.0", 100, 1_000, 0.001))
                .steps("steady", 20, 40, 30, release("1.1.0", 90, 1_050, 0.001))
                .steps("canary", 0, 40, 30, release("3.0.0", 100, 1_000, 0.001))
                .steps("canary", 20, 40, 10, release("3.1.0", 100, 1_100, 0.001))
                .sendTo(fixture);

        assertThat(of(fixture.alerts(), REGRESSION, AlertStatus.FIRING)).isEmpty();
    }

    @Test
    void shouldCatchABadCanaryWhileTheOldReleaseKeepsServing() {
        new Traffic()
                .steps("canary", 0, 40, 30, release("3.0.0", 100, 1_000, 0.001))
                .steps("canary", 20, 40, 10, release("3.1.0", 5, 1_000, 0.001))
                .sendTo(fixture);

        List<Alert> firing = of(fixture.alerts(), REGRESSION, AlertStatus.FIRING);
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).getLabels()).containsEntry("agent_version", "3.1.0").containsEntry("previous_version", "3.0.0");
    }
}
