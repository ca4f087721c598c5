package io.agentwatch.processor.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.rules.OverridesVersion;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.processor.state.CommitHookStore;
import io.agentwatch.processor.testing.Events;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.Operation;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cascade detector under skew between its upstream tasks (two partitions of the events topic): the spans of a
 * trace come from both, one far ahead of the other, as while catching up after downtime. Time-driven decisions wait
 * for the slowest upstream task's progress markers, so a late span still links into its trace.
 */
class CascadeWatermarkTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final long T = Events.T0 + 3_600_000;
    private static final long MINUTE = 60_000;

    private final MockProcessorContext<String, Alert> context = new MockProcessorContext<>(props());
    private CascadeProcessor cascades = newProcessor();
    private final CommitHookStore hook = new CommitHookStore(StoreNames.TRACE_LINEAGE_HOOK);

    private static CascadeProcessor newProcessor() {
        return new CascadeProcessor(RulesFile.defaults(), DetectorSettings.defaults(), new OverridesVersion(), ProcessorMetrics.noop(), 2);
    }

    /** The task restarted (or moved to another instance) on the same stores: a new processor, nothing in memory. */
    private void restart() {
        cascades.close();
        context.resetForwards();
        cascades = newProcessor();
        cascades.init(context);
    }

    private static Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cascade-watermark-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return p;
    }

    @BeforeEach
    void init() {
        register(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.TRACE_LINEAGE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build());
        register(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.RULE_OVERRIDES), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build());
        register(hook);
        context.setCurrentStreamTimeMs(-1); // unknown, as in a task that has read nothing yet
        cascades.init(context);
    }

    @AfterEach
    void close() {
        cascades.close();
    }

    private void register(StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    /** A span as the repartition topic delivers it. */
    private void span(String agent, long span, long parent, boolean failed, long ts) {
        deliver(new Record<>(TRACE, new LineageSpan(span, parent, agent, failed, ts, failed ? Operation.EXECUTE_TOOL : Operation.INVOKE_AGENT), ts));
    }

    private void marker(int upstream, long time) {
        deliver(new Record<>(LineageSpan.PROGRESS_KEY, LineageSpan.progress(upstream, time), time));
    }

    /**
     * As the task does: stream time is the latest record time read, a stream-time punctuation that is due runs after
     * the record (the detector used to tick on stream time: on it, the trace of the first test was expired by the
     * sweep at T+20m), and the commit after it writes the live traces with a failure to the store the sweep reads.
     */
    private void deliver(Record<String, LineageSpan> record) {
        boolean advanced = record.timestamp() > context.currentStreamTimeMs();
        if (advanced) {
            context.setCurrentStreamTimeMs(record.timestamp());
        }
        cascades.process(record);
        if (advanced) {
            for (MockProcessorContext.CapturedPunctuator p : context.scheduledPunctuators()) {
                if (p.getType() == PunctuationType.STREAM_TIME) {
                    p.getPunctuator().punctuate(record.timestamp());
                }
            }
        }
        hook.flushCache();
    }

    private List<Alert> alerts(AlertStatus status) {
        return context.forwarded().stream().map(f -> (Alert) f.record().value()).filter(a -> a.getStatus() == status).toList();
    }

    @Test
    void shouldLinkTheLaggingUpstreamTasksRootFailureIntoATraceTheFastTaskLeftTwentyMinutesAgo() {
        // given both upstream tasks have reported, partition 1 a minute ahead of partition 0
        marker(0, T - MINUTE);
        marker(1, T);
        // partition 1 (the fast task) sends the downstream agents' runs and failures of the trace at T
        span("researcher", 0xb1, 0xa1, false, T + 800);
        span("researcher", 0xb2, 0xb1, true, T + 1_500);
        span("fact-checker", 0xc1, 0xb1, false, T + 2_000);
        span("fact-checker", 0xc2, 0xc1, true, T + 2_800);
        // when partition 1 runs 20 minutes ahead (twice the trace's idle timeout) while partition 0 lags at T-1m,
        // with a tick in between (partition 0 moves a little: the watermark crosses a tick)
        for (long t = T + 5_000; t <= T + 20 * MINUTE; t += 5_000) {
            marker(1, t);
        }
        marker(0, T - MINUTE + 30_000);
        // and then partition 0 catches up with the root agent's run and failure
        span("orchestrator", 0xa1, 0, false, T);
        span("orchestrator", 0xa2, 0xa1, true, T + 500);
        marker(0, T + MINUTE);

        // then the cascade fires once, naming the agent upstream of the others
        assertThat(alerts(AlertStatus.FIRING)).singleElement().satisfies(a -> {
            assertThat(a.getAlertname()).isEqualTo("CascadeFailure");
            assertThat(a.getRootCauseAgentId()).isEqualTo("orchestrator");
            assertThat(a.getLabels()).containsEntry("affected_agents", "orchestrator,researcher,fact-checker");
            assertThat(a.getStartsAt().toEpochMilli()).as("the third agent's failure").isEqualTo(T + 2_800);
        });
    }

    @Test
    void shouldNeitherFireNorExpireWhileAnUpstreamTaskHasNeverReported() {
        // given three agents of a trace fail together, all from partition 1
        span("a", 0xa2, 0xa1, true, T);
        span("b", 0xb2, 0xb1, true, T + 100);
        span("c", 0xc2, 0xc1, true, T + 200);
        // when partition 1 reports progress far beyond the idle timeout, and partition 0 (idle) never reports
        for (long t = T; t <= T + 30 * MINUTE; t += 5_000) {
            marker(1, t);
        }

        // then nothing fires by time and the trace is not expired
        assertThat(context.forwarded()).isEmpty();
        // and once partition 0 reports, the cascade fires with the trace whole
        marker(0, T + MINUTE);
        assertThat(alerts(AlertStatus.FIRING)).singleElement()
                .satisfies(a -> assertThat(a.getLabels()).containsEntry("affected_agents", "a,b,c"));
        assertThat(alerts(AlertStatus.RESOLVED)).isEmpty();
    }

    @Test
    void shouldWaitForTheSlowestUpstreamTaskBeforeFiringAndResolving() {
        marker(0, T);
        marker(1, T);
        span("a", 0xa2, 0xa1, true, T + 100);
        span("b", 0xb2, 0xb1, true, T + 200);
        span("c", 0xc2, 0xc1, true, T + 300);
        // partition 1 is far past `for` (5s) and `resolve_after` (10m); partition 0 has not reached `for`
        marker(1, T + 15 * MINUTE);
        marker(0, T + 4_000);
        assertThat(context.forwarded()).as("waits for partition 0 to pass the settle period").isEmpty();

        marker(0, T + 10_000);
        assertThat(alerts(AlertStatus.FIRING)).hasSize(1);
        marker(0, T + 9 * MINUTE);
        assertThat(alerts(AlertStatus.RESOLVED)).as("not before resolve_after of the slowest task").isEmpty();
        marker(0, T + 10 * MINUTE + 5_000);
        assertThat(alerts(AlertStatus.RESOLVED)).hasSize(1);
    }

    @Test
    void shouldFireAndResolveACascadeThatWasWaitingWhenTheTaskRestarted() {
        // given a cascade waiting out its `for` (5s) when the task stops
        marker(0, T);
        marker(1, T);
        span("a", 0xa2, 0xa1, true, T + 100);
        span("b", 0xb2, 0xb1, true, T + 200);
        span("c", 0xc2, 0xc1, true, T + 300);
        marker(0, T + 2_000);
        marker(1, T + 2_000);
        assertThat(context.forwarded()).as("still waiting").isEmpty();
        restart();

        // when the upstream tasks' markers pass the settle period, without another span of the trace
        marker(0, T + 10_000);
        marker(1, T + 10_000);
        // then it fires as it would have without the restart
        assertThat(alerts(AlertStatus.FIRING)).singleElement()
                .satisfies(a -> assertThat(a.getStartsAt().toEpochMilli()).as("the third agent's failure").isEqualTo(T + 300));

        // and a firing cascade still resolves after another restart, at resolve_after (10m) after its last failure
        restart();
        marker(0, T + 9 * MINUTE);
        marker(1, T + 9 * MINUTE);
        assertThat(alerts(AlertStatus.RESOLVED)).isEmpty();
        marker(0, T + 10 * MINUTE + 5_000);
        marker(1, T + 10 * MINUTE + 5_000);
        assertThat(alerts(AlertStatus.RESOLVED)).hasSize(1);
    }
}
