package io.agentwatch.processor.query;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** The running client's local stores (its active tasks'), for {@link StateQueries}. */
public final class KafkaStreamsStores implements StateQueries.LocalStores {
    private final KafkaStreams streams;

    public KafkaStreamsStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The store, or null when the topology has none of that name (a detector without rules has no store). */
    @Override
    public ReadOnlyKeyValueStore<String, byte[]> keyValue(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        } catch (UnknownStateStoreException e) {
            return null;
        }
    }

    @Override
    public ReadOnlyWindowStore<String, byte[]> window(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>windowStore()));
        } catch (UnknownStateStoreException e) {
            return null;
        }
    }
}
