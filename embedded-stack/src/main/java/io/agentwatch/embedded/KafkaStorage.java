package io.agentwatch.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log directory: formatted once, with a new cluster id, the way {@code kafka-storage.sh format}
 * does it (the same {@link StorageTool} code runs here), and left alone on every later start so that topics and
 * records survive restarts. The cluster id lives in the directory's {@code meta.properties}.
 */
final class KafkaStorage {
    private static final Logger log = LoggerFactory.getLogger(KafkaStorage.class);
    private static final String META = "meta.properties";

    private final Path logDir;

    KafkaStorage(Path logDir) {
        this.logDir = logDir;
    }

    boolean isFormatted() {
        return Files.isRegularFile(logDir.resolve(META));
    }

    /** Formats the directory if it is not yet formatted and returns the cluster id either way. */
    String formatIfNeeded(Path serverPropertiesFile) {
        if (!isFormatted()) {
            format(serverPropertiesFile, Uuid.randomUuid().toString());
        }
        return clusterId();
    }

    String clusterId() {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDir.resolve(META))) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logDir.resolve(META), e);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(logDir.resolve(META) + " has no cluster.id: the directory is damaged; move it away to start afresh");
        }
        return id;
    }

    private void format(Path serverPropertiesFile, String clusterId) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka log directory " + logDir, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", serverPropertiesFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("formatting the Kafka log directory " + logDir + " failed: " + e.getMessage()
                    + " " + output.toString(StandardCharsets.UTF_8).trim(), e);
        }
        if (exit != 0 || !isFormatted()) {
            throw new IllegalStateException("formatting the Kafka log directory " + logDir + " failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
        log.info("formatted Kafka log directory {} with cluster id {}", logDir, clusterId);
    }
}
