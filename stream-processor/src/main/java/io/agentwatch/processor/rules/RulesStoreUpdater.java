package io.agentwatch.processor.rules;

import io.agentwatch.schema.AlertRule;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global rules store in step with the compacted agent.rules topic (the mechanism behind a GlobalKTable):
 * an override is stored under its key ({@code <rule id>} or {@code <rule id>/<agent id>}), a tombstone deletes it,
 * and every change bumps {@link OverridesVersion} so the detectors pick it up without a restart.
 */
public final class RulesStoreUpdater implements Processor<String, AlertRule, Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(RulesStoreUpdater.class);

    private final String storeName;
    private final OverridesVersion version;
    private KeyValueStore<String, AlertRule> store;

    public RulesStoreUpdater(String storeName, OverridesVersion version) {
        this.storeName = storeName;
        this.version = version;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, AlertRule> record) {
        String key = record.key();
        if (key == null) {
            log.warn("ignoring a rule override without a key (expected <rule id> or <rule id>/<agent id>)");
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            log.info("rule override {} removed: the rules file applies again", key);
        } else {
            store.put(key, record.value());
            log.info("rule override {} updated", key);
        }
        version.bump();
    }
}
