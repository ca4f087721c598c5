package io.agentwatch.simulator.publish;

import io.agentwatch.schema.AgentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads back an events file written by {@link AvroFileEventSink} (or any Avro container file of AgentEvents,
 * older schema versions included: records are resolved into the current AgentEvent). One pass, in file order.
 */
public final class EventFileReader implements Iterator<AgentEvent>, AutoCloseable {
    private final Path file;
    private final DataFileReader<AgentEvent> reader;

    public EventFileReader(Path file) {
        this.file = file;
        try {
            this.reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(AgentEvent.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open events file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    @Override
    public AgentEvent next() {
        if (!reader.hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            return reader.next();
        } catch (RuntimeException e) {
            throw new IllegalStateException("events file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
