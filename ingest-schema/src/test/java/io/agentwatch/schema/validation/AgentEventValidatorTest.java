package io.agentwatch.schema.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentEventValidatorTest {
    private static final long NOW = SampleEvents.T0.toEpochMilli() + 60_000;
    private final AgentEventValidator validator = new AgentEventValidator(86_400_000L);

    @Test
    void shouldAcceptATypicalEvent() {
        assertThat(validator.check(SampleEvents.chat(), NOW)).isNull();
    }

    @Test
    void shouldNameTheFieldOfEachBrokenRule() {
        assertThat(field(e -> e.setAgentId(""))).isEqualTo("agent_id");
        assertThat(field(e -> e.setEventId(""))).isEqualTo("event_id");
        assertThat(field(e -> e.setInputTokens(-1L))).isEqualTo("input_tokens");
        assertThat(field(e -> e.setOutputTokens(-5L))).isEqualTo("output_tokens");
        assertThat(field(e -> e.setLatencyMs(-2L))).isEqualTo("latency_ms");
        assertThat(field(e -> e.setCostUsd(-0.01))).isEqualTo("cost_usd");
        assertThat(field(e -> e.setCostUsd(Double.NaN))).isEqualTo("cost_usd");
        assertThat(field(e -> e.setRetryCount(-1))).isEqualTo("retry_count");
        assertThat(field(e -> e.setConfidence(1.5))).isEqualTo("confidence");
        assertThat(field(e -> e.setTimestamp(Instant.ofEpochSecond(1_700_000_000L / 1000)))).isEqualTo("timestamp");
        assertThat(field(e -> e.setTimestamp(Instant.ofEpochMilli(NOW + 2 * 86_400_000L)))).isEqualTo("timestamp");
    }

    @Test
    void shouldAcceptAnEventWithoutOptionalMeasurements() {
        AgentEvent heartbeat = AgentEvent.newBuilder().setEventId("e").setTimestamp(SampleEvents.T0).setAgentId("a").build();

        assertThat(validator.check(heartbeat, NOW)).isNull();
    }

    private String field(java.util.function.Consumer<AgentEvent> breakIt) {
        AgentEvent event = SampleEvents.chat();
        breakIt.accept(event);
        AgentEventValidator.Violation v = validator.check(event, NOW);
        assertThat(v).isNotNull();
        return v.field();
    }
}
