package io.agentwatch.reliability.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The RocksDB state a processor keeps on disk under its state directory. */
final class StateOnDisk {
    private StateOnDisk() {
    }

    /** {bytes, files} of the SST files under {@code stateDir}; {0, 0} before it exists, {-1, -1} while RocksDB keeps changing it under the walk. */
    static long[] sstBytesAndFiles(Path stateDir) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long[] counted = count(stateDir);
            if (counted != null) {
                return counted;
            }
        }
        return new long[] {-1, -1};
    }

    private static long[] count(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return new long[] {0, 0};
        }
        long bytes = 0;
        long files = 0;
        try (Stream<Path> all = Files.walk(stateDir)) {
            for (Path p : (Iterable<Path>) all.filter(f -> f.getFileName().toString().endsWith(".sst"))::iterator) {
                try {
                    bytes += Files.size(p);
                    files++;
                } catch (NoSuchFileException compactedAway) {
                    // RocksDB deleted it between the listing and the size: it no longer counts
                }
            }
        } catch (NoSuchFileException vanished) {
            return null;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return null; // a directory (a dropped segment) vanished during the walk
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + stateDir, e);
        }
        return new long[] {bytes, files};
    }
}
