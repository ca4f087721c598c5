package io.agentwatch.processor.detect;

import io.agentwatch.processor.topology.StoreNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The node {@code record-cascade-causes}: keeps the latest cascade notice of each agent in
 * {@code cascade-causes-store} (agent id -> {@link CascadeCauses.Cause}), on the agent's partition, where the
 * per-agent detectors read it when one of their incidents starts FIRING. Bounded by the agents: one entry each.
 */
public final class RecordCascadeCausesProcessor implements Processor<String, byte[], Void, Void> {
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(StoreNames.CASCADE_CAUSES);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        CascadeCauses.Cause.decode(record.value()); // a notice that does not decode is refused here, not at FIRING time
        store.put(record.key(), record.value());
    }
}
