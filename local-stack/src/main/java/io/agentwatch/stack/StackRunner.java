package io.agentwatch.stack;

import io.agentwatch.embedded.PortInUseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Runs the local stack in the foreground for a command: starts it, prints where it listens and what it holds, and
 * keeps it up until Ctrl-C or SIGTERM, when a shutdown hook stops it (registry child process included) before the
 * JVM exits. A taken port ends the command with exit code 1 and a message naming the port and its option.
 */
final class StackRunner {
    static final int PORT_IN_USE = 1;

    private final StackOptions options;
    private final PrintWriter out;
    private final PrintWriter err;

    StackRunner(StackOptions options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Starts the stack, prints the report and the notice, then blocks until the JVM shuts down. */
    int runUntilStopped(String notice) throws InterruptedException {
        LocalStack stack = start();
        if (stack == null) {
            return PORT_IN_USE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the local stack...");
            stack.close();
            out.println("Stopped.");
            stopped.countDown();
        }, "agentwatch-stop"));
        report(stack);
        if (notice != null) {
            out.println();
            out.println(notice);
        }
        out.println();
        out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /** The started stack, or null after printing why a port is taken. */
    LocalStack start() {
        Path dataDir = options.dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir + " (change it with --data-dir)", e);
        }
        LogFiles.toDataDir(dataDir);
        out.println("Starting the local stack (data in " + dataDir + ")...");
        try {
            return LocalStack.start(dataDir, options.kafkaPort(), options.registryPort());
        } catch (PortInUseException e) {
            String option = options.optionFor(e.port());
            err.println("agentwatch: " + e.getMessage() + ". Stop whatever uses it"
                    + (option == null ? "." : ", or choose another port with " + option + " <port>."));
            err.flush();
            return null;
        }
    }

    private void report(LocalStack stack) {
        Path dataDir = options.dataDir();
        out.println();
        out.println("agentwatch local stack is up.");
        out.println("  Kafka bootstrap servers:   " + stack.broker().bootstrapServers());
        out.println("  Schema registry (Confluent API): " + stack.registry().confluentUrl());
        out.println("  Data directory:            " + dataDir);
        out.println("  Logs:                      " + dataDir.resolve("logs").resolve("agentwatch.log") + ", " + stack.registry().logFile());
        out.println("  Topics (" + stack.bootstrap().createdTopics().size() + " created now, "
                + stack.bootstrap().existingTopics().size() + " found from an earlier run):");
        Map<String, TopicSummary.Counts> topics = TopicSummary.of(stack.admin(),
                Stream.concat(stack.bootstrap().createdTopics().stream(), stack.bootstrap().existingTopics().stream()).sorted().toList());
        topics.forEach((topic, counts) -> out.printf("    %-18s %d partition%s, %d record%s%n", topic,
                counts.partitions(), counts.partitions() == 1 ? "" : "s", counts.records(), counts.records() == 1 ? "" : "s"));
        out.println("  Subjects (BACKWARD compatibility):");
        stack.bootstrap().schemaIds().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.printf("    %-22s schema id %d%n", e.getKey(), e.getValue()));
        out.flush();
    }
}
