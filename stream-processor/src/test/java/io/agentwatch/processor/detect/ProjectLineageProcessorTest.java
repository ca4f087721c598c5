package io.agentwatch.processor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.testing.Events;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream side of the cascade detector's watermark: when and what a task of the events topic reports. */
class ProjectLineageProcessorTest {
    private static final long T = Events.T0;

    private final MockProcessorContext<String, LineageSpan> context = new MockProcessorContext<>(props(), new TaskId(1, 3), null);
    private final ProjectLineageProcessor processor = new ProjectLineageProcessor(Duration.ofSeconds(5));

    private static Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "project-lineage-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return p;
    }

    @BeforeEach
    void init() {
        context.setCurrentStreamTimeMs(-1); // unknown, as in a task that has read nothing yet
        processor.init(context);
    }

    private void send(AgentEvent e) {
        long ts = e.getTimestamp().toEpochMilli();
        context.setCurrentStreamTimeMs(Math.max(context.currentStreamTimeMs(), ts));
        processor.process(new Record<>(e.getAgentId(), e, ts));
    }

    private static AgentEvent run(String agent, long ts) {
        return Events.step(agent, ts, e -> e.setOperation(Operation.INVOKE_AGENT));
    }

    private List<LineageSpan> forwarded() {
        List<LineageSpan> out = context.forwarded().stream().map(f -> (LineageSpan) f.record().value()).toList();
        context.resetForwards();
        return out;
    }

    private void wallClockTick() {
        for (MockProcessorContext.CapturedPunctuator p : context.scheduledPunctuators()) {
            if (p.getType() == PunctuationType.WALL_CLOCK_TIME) {
                p.getPunctuator().punctuate(0);
            }
        }
    }

    @Test
    void shouldReportItsPartitionAndEventTimeBeforeTheSpanThatCrossesATick() {
        send(run("a", T + 1_000));
        assertThat(forwarded()).satisfiesExactly(
                m -> assertThat(m).isEqualTo(LineageSpan.progress(3, T + 1_000)),
                s -> assertThat(s.agentId()).isEqualTo("a"));

        send(run("a", T + 4_999));
        send(Events.step("a", T + 2_000));
        assertThat(forwarded()).as("no multiple of 5s crossed: the span only").singleElement()
                .satisfies(s -> assertThat(s.isProgress()).isFalse());

        send(Events.step("a", T + 5_000));
        assertThat(forwarded()).as("a step that is not re-keyed still reports progress")
                .containsExactly(LineageSpan.progress(3, T + 5_000));
    }

    @Test
    void shouldReportItsOwnTimeNotTheTasksStreamTimeWhileItHasEvents() {
        send(run("a", T + 1_000));
        forwarded();
        // the task has read a span of another, faster task from the events-by-trace partition
        context.setCurrentStreamTimeMs(T + 600_000);
        send(Events.step("a", T + 2_000));

        wallClockTick();
        assertThat(forwarded()).containsExactly(LineageSpan.progress(3, T + 2_000));
    }

    @Test
    void shouldReportTheTasksStreamTimeWhenItHadNoEventForAWallClockTick() {
        send(run("a", T + 1_000));
        wallClockTick();
        forwarded();
        context.setCurrentStreamTimeMs(T + 600_000);

        wallClockTick();
        assertThat(forwarded()).as("idle: holds nothing back").containsExactly(LineageSpan.progress(3, T + 600_000));
    }

    @Test
    void shouldReportNothingBeforeItKnowsAnyTime() {
        context.setCurrentStreamTimeMs(-1);
        wallClockTick();
        assertThat(forwarded()).isEmpty();
    }
}
