package io.agentwatch.reliability.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resident-memory samples of a soak: seconds since the start, resident bytes, the RocksDB budget in use (block
 * cache plus the memtables charged to it, from the processor's {@code /metrics}; -1 when not read), what RocksDB
 * says its table readers hold outside that budget (Kafka Streams' {@code estimate-table-readers-mem}, summed over
 * stores; -1 when not read), the state on disk (bytes and number of SST files) and the processor's consumer lag at
 * that moment. Fits a least-squares line to a stretch of them and writes them as CSV.
 */
final class MemorySamples {
    /** One sample. */
    record Sample(double seconds, long residentBytes, long rocksDbBytes, long tableReaderBytes, long sstBytes, long sstFiles, long lag) {
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample sample) {
        samples.add(sample);
    }

    synchronized List<Sample> all() {
        return List.copyOf(samples);
    }

    /** The samples from {@code fromSeconds} on. */
    List<Sample> from(double fromSeconds) {
        return all().stream().filter(s -> s.seconds() >= fromSeconds).toList();
    }

    long max() {
        return all().stream().mapToLong(Sample::residentBytes).max().orElse(-1);
    }

    /** Least-squares line through the samples: {intercept bytes, slope bytes per second}. */
    static double[] fit(List<Sample> samples) {
        int n = samples.size();
        if (n < 3) {
            throw new AssertionError("too few memory samples to fit a trend: " + n);
        }
        double sx = 0;
        double sy = 0;
        for (Sample s : samples) {
            sx += s.seconds();
            sy += s.residentBytes();
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (Sample s : samples) {
            sxx += (s.seconds() - mx) * (s.seconds() - mx);
            sxy += (s.seconds() - mx) * (s.residentBytes() - my);
        }
        double slope = sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    void writeCsv(Path file) {
        StringBuilder csv = new StringBuilder("seconds,resident_bytes,resident_mib,rocksdb_used_mib,table_readers_mib,sst_mib,sst_files,consumer_lag\n");
        for (Sample s : all()) {
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%.1f,%.1f,%.1f,%.1f,%d,%d%n", s.seconds(), s.residentBytes(), s.residentBytes() / 1048576.0,
                    s.rocksDbBytes() / 1048576.0, s.tableReaderBytes() / 1048576.0, s.sstBytes() / 1048576.0, s.sstFiles(), s.lag()));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
