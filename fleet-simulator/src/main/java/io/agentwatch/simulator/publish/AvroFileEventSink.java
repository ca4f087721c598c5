package io.agentwatch.simulator.publish;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.simulator.engine.Rng;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * event-time order; the Kafka key (agent_id) is a field of each record. The zstandard and snappy codecs use the
 * zstd-jni and snappy-java libraries that kafka-clients brings at runtime.
 */
public final class AvroFileEventSink implements EventSink {
    public static final String DEFAULT_CODEC = "zstandard";

    private final Path file;
    private final DataFileWriter<AgentEvent> writer;
    private long written;

    /**
     * @param codec    an Avro codec name: null, deflate, snappy, zstandard, bzip2, xz
     * @param syncSeed seeds the file's 16-byte sync marker (Avro draws it at random otherwise), so that the same
     *                 events give the same file bytes
     */
    public AvroFileEventSink(Path file, String codec, long syncSeed) {
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
            Rng rng = new Rng(syncSeed);
            byte[] sync = ByteBuffer.allocate(16).putLong(rng.nextLong()).putLong(rng.nextLong()).array();
            this.writer = new DataFileWriter<>(new SpecificDatumWriter<>(AgentEvent.class))
                    .setCodec(factory)
                    .setSyncInterval(1 << 20)
                    .create(AgentEvent.getClassSchema(), new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), sync);
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
