package io.agentwatch.processor.state;

import java.util.Map;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds a {@link CommitHookStore}: never logged, never cached, nothing to configure. */
public final class CommitHookStoreBuilder implements StoreBuilder<CommitHookStore> {
    private final String name;

    public CommitHookStoreBuilder(String name) {
        this.name = name;
    }

    @Override
    public StoreBuilder<CommitHookStore> withCachingEnabled() {
        throw new UnsupportedOperationException("a commit-hook store has nothing to cache");
    }

    @Override
    public StoreBuilder<CommitHookStore> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<CommitHookStore> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException("a commit-hook store has nothing to log");
    }

    @Override
    public StoreBuilder<CommitHookStore> withLoggingDisabled() {
        return this;
    }

    @Override
    public CommitHookStore build() {
        return new CommitHookStore(name);
    }

    @Override
    public Map<String, String> logConfig() {
        return Map.of();
    }

    @Override
    public boolean loggingEnabled() {
        return false;
    }

    @Override
    public String name() {
        return name;
    }
}
