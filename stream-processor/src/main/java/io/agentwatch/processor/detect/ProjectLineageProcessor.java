package io.agentwatch.processor.detect;

import io.agentwatch.schema.AgentEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The node {@code project-lineage}: keeps only the events that matter for cascades (agent runs and failures, see
 * {@link LineageSpan#matters}) and turns each into a compact {@link LineageSpan} keyed by its trace id, for the
 * {@code events-by-trace} repartition topic. Not every event is re-keyed: steps that succeed (most of the stream)
 * never leave the agent's partition.
 */
public final class ProjectLineageProcessor implements Processor<String, AgentEvent, String, LineageSpan> {
    private ProcessorContext<String, LineageSpan> context;

    @Override
    public void init(ProcessorContext<String, LineageSpan> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        AgentEvent e = record.value();
        if (LineageSpan.matters(e)) {
            context.forward(new Record<>(e.getTraceId(), LineageSpan.of(e, record.timestamp()), record.timestamp()));
        }
    }
}
