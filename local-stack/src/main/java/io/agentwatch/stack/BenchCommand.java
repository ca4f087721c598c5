package io.agentwatch.stack;

import io.agentwatch.stack.bench.Bench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentwatch bench}: the benchmark harness (see {@link Bench}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the processor on this machine: load a topic with synthetic events, then the raw baseline (plain consumers), "
                + "the full processor (own JVM, every detector, exactly-once: sustained events/s, peak resident memory) and its "
                + "event-to-alert latency at a fraction of its maximum rate. Prints the figures and writes them as JSON."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "2000000", description = "events to load (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--agents", defaultValue = "10000", description = "agents (default: ${DEFAULT-VALUE})")
    int agents;

    @Option(names = "--threads", defaultValue = "2", description = "stream threads of the processor, consumers of the baseline (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--latency-fraction", defaultValue = "0.5", description = "real-time rate of the latency run, as a fraction of the measured maximum (default: ${DEFAULT-VALUE})")
    double latencyFraction;

    @Option(names = "--latency-duration", defaultValue = "60s", converter = io.agentwatch.simulator.cli.DurationConverter.class,
            description = "length of the latency run (default: ${DEFAULT-VALUE})")
    Duration latencyDuration;

    @Option(names = "--processor-heap", defaultValue = "768m", description = "the processor JVM's heap (default: ${DEFAULT-VALUE}); RocksDB's 256MB are off-heap")
    String heap;

    @Option(names = "--work-dir", defaultValue = "${sys:agentwatch.home:-.}/target/bench", description = "scratch directory, wiped first (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--report", defaultValue = "${sys:agentwatch.home:-.}/target/bench.json", description = "where the figures go as JSON (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--seed", defaultValue = "11", description = "simulation seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rules", paramLabel = "all|core|FILE", defaultValue = "all",
            description = "the processor's rules: all (built-in, every detector), core (built-in window and event rules only), or a rules file (default: ${DEFAULT-VALUE})")
    String rules;

    @Option(names = "--processor-jvm-option", paramLabel = "OPTION", description = "an extra JVM option of the processor (repeatable), e.g. for a flight recording")
    java.util.List<String> processorJvmOptions = new java.util.ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (latencyDuration.compareTo(Duration.ofSeconds(45)) < 0) {
            // the latency run's incidents start in its first 21 s and last 20 s
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--latency-duration " + io.agentwatch.service.Durations.format(latencyDuration) + " is too short: at least 45s");
        }
        if (events < 1 || agents < 1 || threads < 1 || latencyFraction <= 0 || latencyFraction > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--events, --agents and --threads must be at least 1, --latency-fraction in (0, 1]");
        }
        new Bench(new Bench.Options(events, agents, threads, latencyFraction, latencyDuration, workDir.toAbsolutePath().normalize(),
                report.toAbsolutePath().normalize(), heap, seed, processorJvmOptions, rules), spec.commandLine().getOut()).run();
        return 0;
    }
}
