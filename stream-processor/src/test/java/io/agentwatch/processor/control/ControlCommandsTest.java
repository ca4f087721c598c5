package io.agentwatch.processor.control;

import static io.agentwatch.processor.testing.TopologyFixture.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.testing.TopologyFixture;
import io.agentwatch.processor.testing.Traffic;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertRule;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.ControlAction;
import io.agentwatch.schema.ControlCommand;
import io.agentwatch.schema.Status;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Control commands: one per incident of a rule marked control: true, only when enabled. */
class ControlCommandsTest {
    private TopologyFixture fixture;

    @AfterEach
    void close() {
        fixture.close();
    }

    private static AgentEvent spend(String agent, String session, double minute, long tokens) {
        return Events.step(agent, Traffic.minute(minute), e -> {
            e.setSessionId(session);
            e.setInputTokens(tokens);
        });
    }

    @Test
    void shouldWriteOneTerminateSessionCommandPerIncidentKeyedBySession() {
        fixture = new TopologyFixture(RulesFile.defaults(), s -> s.withControl(true));
        fixture.override("session-token-budget", AlertRule.newBuilder().setRuleId("session-token-budget").setRepeatIntervalMs(60_000L).build());

        fixture.send(spend("runaway", "s-1", 1, 150_000));
        fixture.send(spend("runaway", "s-1", 3, 1_000));        // re-notified after the repeat interval: same incident
        fixture.send(spend("runaway", "s-2", 3.5, 150_000));    // another session: another incident

        List<Alert> firing = of(fixture.alerts(), "SessionTokenBudgetExceeded", AlertStatus.FIRING);
        assertThat(firing).hasSize(3);
        List<TestRecord<String, ControlCommand>> commands = fixture.controlCommands();
        assertThat(commands).extracting(TestRecord::key).containsExactly("s-1", "s-2");
        ControlCommand first = commands.get(0).value();
        assertThat(first.getAction()).isEqualTo(ControlAction.TERMINATE_SESSION);
        assertThat(first.getAgentId()).isEqualTo("runaway");
        assertThat(first.getSessionId()).isEqualTo("s-1");
        assertThat(first.getAlertFingerprint()).isEqualTo(firing.get(0).getFingerprint());
        assertThat(first.getRuleId()).isEqualTo("session-token-budget");
        assertThat(first.getReason()).isEqualTo(firing.get(0).getSummary());
        assertThat(first.getParams()).containsEntry("alertname", "SessionTokenBudgetExceeded");
    }

    @Test
    void shouldWriteNothingForRulesWithoutControlOrWithoutAnAction() {
        fixture = new TopologyFixture(RulesFile.defaults(), s -> s.withControl(true));
        new Traffic().steps("failing", 0, 15, 10, (a, t, n) -> Events.step(a, t, e -> e.setStatus(n % 3 == 0 ? Status.ERROR : Status.OK)))
                .sendTo(fixture);

        assertThat(of(fixture.alerts(), "AgentErrorRateHigh", AlertStatus.FIRING)).hasSize(1);
        assertThat(fixture.controlCommands()).isEmpty();
    }

    @Test
    void shouldWriteNothingWhenControlIsNotEnabled() {
        fixture = new TopologyFixture();
        fixture.send(spend("runaway", "s-1", 1, 150_000));

        assertThat(of(fixture.alerts(), "SessionTokenBudgetExceeded", AlertStatus.FIRING)).hasSize(1);
        assertThat(fixture.controlCommands()).isEmpty();
    }
}
