package io.agentwatch.sink.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.testing.Alerts;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActiveAlertsTest {
    private static final Instant END = Instant.parse("2026-11-22T11:00:00Z");

    @Test
    void shouldMoveAnAlertFromFiringToResolvedOnceAndKeepTheNewestResolvedFirst() {
        ActiveAlerts alerts = new ActiveAlerts(2, 100);
        Alert a = Alerts.firing("a", "AgentSilent", Severity.INFO, "x").build();
        Alert b = Alerts.firing("b", "AgentSilent", Severity.INFO, "y").build();
        Alert c = Alerts.firing("c", "AgentSilent", Severity.INFO, "z").build();
        alerts.apply(a);
        alerts.apply(b);
        alerts.apply(c);

        alerts.apply(Alerts.resolvedOf(a, END));
        alerts.apply(Alerts.resolvedOf(a, END));
        alerts.apply(Alerts.resolvedOf(b, END));
        alerts.apply(Alerts.resolvedOf(c, END));

        assertThat(alerts.firing()).isEmpty();
        assertThat(alerts.resolved()).extracting(Alert::getFingerprint).as("bounded, newest first, no duplicates").containsExactly("c", "b");
    }

    @Test
    void shouldOrderFiringAlertsBySeverityThenAge() {
        ActiveAlerts alerts = new ActiveAlerts(2, 100);
        alerts.apply(Alerts.firing("w", "AgentTokenDrift", Severity.WARNING, "x").build());
        alerts.apply(Alerts.firing("c2", "AgentErrorRateHigh", Severity.CRITICAL, "y").setStartsAt(Instant.parse("2026-11-22T10:05:00Z")).build());
        alerts.apply(Alerts.firing("c1", "AgentErrorRateHigh", Severity.CRITICAL, "z").build());

        assertThat(alerts.firing()).extracting(Alert::getFingerprint).containsExactly("c1", "c2", "w");
    }

    @Test
    void shouldReportInhibitionOnlyWhileTheCascadeFires() {
        ActiveAlerts alerts = new ActiveAlerts(2, 100);
        Alert root = Alerts.firing("root", "CascadeFailure", Severity.CRITICAL, null).build();
        Alert down = Alerts.withLabel(Alerts.firing("down", "AgentErrorRateHigh", Severity.ERROR, "x").build(), "caused_by", "root");

        assertThat(alerts.inhibited(down)).isFalse();
        alerts.apply(root);
        assertThat(alerts.inhibited(down)).isTrue();
        alerts.apply(Alerts.resolvedOf(root, END));
        assertThat(alerts.inhibited(down)).isFalse();
    }
}
