package io.agentwatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory for as long as a service uses it. Two brokers on one Kafka log directory
 * corrupt each other's metadata log (Kafka 4.3 does not stop the second one), and two registries on one H2 file
 * clash; with this lock the second start fails at once with a message naming the directory. The operating system
 * releases the lock when the holding process dies, even by {@code kill -9}.
 */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code <dir>/<name>}; fails with a message naming the directory and the service if it is held. */
    static DirectoryLock acquire(Path dir, String name, String service) {
        Path file = dir.resolve(name);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir, service, null);
            }
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dir, service, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + " (is the data directory writable?)", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path dir, String service, Throwable cause) {
        return new IllegalStateException("the " + service + " data directory " + dir + " is in use by another running "
                + service + " (another 'agentwatch up' on the same data directory?); stop it or choose another data directory", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the channel is gone either way
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // released when the channel closes anyway
        }
        closeQuietly(channel);
    }
}
