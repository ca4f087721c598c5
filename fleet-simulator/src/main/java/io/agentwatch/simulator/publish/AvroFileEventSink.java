package io.agentwatch.simulator.publish;

import io.agentwatch.schema.AgentEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes events to an Avro object container file: the AgentEvent schema in the header, then blocks of records,
 * compressed (zstandard by default). Self-describing and readable without a schema registry, by
 * {@link EventFileReader}, by {@code avro-tools}, or by any Avro library; the backtest reads it. The records are in
 * event-time order; the Kafka key (agent_id) is a field of each record.
 */
public final class AvroFileEventSink implements EventSink {
    public static final String DEFAULT_CODEC = "zstandard";

    private final Path file;
    private final DataFileWriter<AgentEvent> writer;
    private long written;

    /** @param codec an Avro codec name: null, deflate, snappy, zstandard, bzip2, xz */
    public AvroFileEventSink(Path file, String codec) {
        this.file = file;
        CodecFactory factory;
        try {
            factory = CodecFactory.fromString(codec.toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown Avro codec '" + codec + "'; use null, deflate, snappy or zstandard", e);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.writer = new DataFileWriter<>(new SpecificDatumWriter<>(AgentEvent.class))
                    .setCodec(factory)
                    .setSyncInterval(1 << 20)
                    .create(AgentEvent.getClassSchema(), file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void send(AgentEvent event) {
        try {
            writer.append(event);
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Events appended; they are durable once {@link #flush()} or {@link #close()} has returned. */
    @Override
    public long acknowledged() {
        return written;
    }

    @Override
    public String describe() {
        return "file " + file;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
