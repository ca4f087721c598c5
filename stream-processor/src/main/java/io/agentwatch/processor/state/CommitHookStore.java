package io.agentwatch.processor.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store with no data whose only job is to run the processor's "write your dirty live state" hooks right before
 * every task commit, inside the transaction that commits the input offsets.
 *
 * <p>Why: the detectors keep their hot state as live objects and write it to their logged RocksDB stores only
 * at commit boundaries (re-encoding per-agent sketches on every event would cap throughput far below the target).
 * That is exactly-once only if every commit is preceded by the write. In Kafka Streams 4.3 the public
 * {@code StateStore.flush()/commit()} runs after the commit (at checkpoint time), so it cannot be the hook. What
 * does run before every commit, on every path (interval, requested, rebalance, clean close, TopologyTestDriver), is
 * {@code StreamTask.prepareCommit -> ProcessorStateManager.flushCache()}, which calls {@code flushCache()} on
 * every registered store implementing {@link CachedStateStore} — the interface Kafka's own caching stores use.
 * This store implements it. It is an internal interface: the reliability suite's SIGKILL test under
 * exactly_once_v2 is what proves the hook still runs where it must after a Kafka upgrade.
 */
public final class CommitHookStore implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private final List<Runnable> hooks = new ArrayList<>();
    private boolean open;

    public CommitHookStore(String name) {
        this.name = name;
    }

    /** Adds a hook; called by the processor in {@code init}, in the task's thread. */
    public void register(Runnable hook) {
        hooks.add(hook);
    }

    @Override
    public void flushCache() {
        for (Runnable hook : hooks) {
            hook.run();
        }
    }

    @Override
    public void clearCache() {
        // nothing cached here: the live objects belong to the processors
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            // no changelog: nothing to restore
        });
        open = true;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        // runs after the commit; the work happens in flushCache()
    }

    @Override
    public void close() {
        hooks.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
