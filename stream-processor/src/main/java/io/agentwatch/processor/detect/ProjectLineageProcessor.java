package io.agentwatch.processor.detect;

import io.agentwatch.schema.AgentEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The node {@code project-lineage}: keeps only the events that matter for cascades (agent runs and failures, see
 * {@link LineageSpan#matters}) and turns each into a compact {@link LineageSpan} keyed by its trace id, for the
 * {@code events-by-trace} repartition topic. Not every event is re-keyed: steps that succeed (most of the stream)
 * never leave the agent's partition.
 *
 * <p>It also tells every cascade task how far this task has got: a progress marker (this task's partition and the
 * latest event time it has processed) goes to every partition of the topic each time that time crosses a multiple of
 * the tick, before the span of the event that crossed it (the instants and the order a stream-time punctuation of
 * the cascade task had when there was one upstream task), and every tick of wall-clock time, so that a task whose
 * partition is quiet still reports. The time is this processor's own, not the task's stream time: the task also
 * reads the {@code events-by-trace} partition, which the other (perhaps faster) tasks write. A task that processed
 * no event during a wall-clock tick is idle and reports its task's stream time if that is further: with nothing to
 * process it holds nothing back (the task's stream time follows the other tasks' markers). Cost: partitions x
 * partitions small records per tick.
 */
public final class ProjectLineageProcessor implements Processor<String, AgentEvent, String, LineageSpan> {
    private final long tick;
    private ProcessorContext<String, LineageSpan> context;
    private int partition;
    /** The latest event time processed; MIN_VALUE before the first event. */
    private long seen = Long.MIN_VALUE;
    private long nextMarkerAt = Long.MIN_VALUE;
    private boolean processedSinceWallTick;

    public ProjectLineageProcessor(Duration tick) {
        this.tick = tick.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, LineageSpan> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::wallClockTick);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        long ts = record.timestamp();
        processedSinceWallTick = true;
        if (ts > seen) {
            seen = ts;
            if (ts >= nextMarkerAt) {
                mark(ts);
            }
        }
        AgentEvent e = record.value();
        if (LineageSpan.matters(e)) {
            context.forward(new Record<>(e.getTraceId(), LineageSpan.of(e, ts), ts));
        }
    }

    private void wallClockTick(long wallClock) {
        long progress = seen;
        if (!processedSinceWallTick) {
            progress = Math.max(progress, context.currentStreamTimeMs());
        }
        processedSinceWallTick = false;
        if (progress >= 0) {
            mark(progress);
        }
    }

    /** One marker, which the partitioner sends to every partition; the next when time reaches the next multiple. */
    private void mark(long time) {
        context.forward(new Record<>(LineageSpan.PROGRESS_KEY, LineageSpan.progress(partition, time), time));
        nextMarkerAt = Math.max(nextMarkerAt, (Math.floorDiv(time, tick) + 1) * tick);
    }
}
