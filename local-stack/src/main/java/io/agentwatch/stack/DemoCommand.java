package io.agentwatch.stack;

import io.agentwatch.simulator.score.ScoreResult;
import io.agentwatch.stack.demo.Demo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwatch demo}: the whole system on this machine: the local stack, the stream processor, the alert sink
 * and its page, and a simulated fleet with a scripted series of incidents played in about two minutes. Prints each
 * alert as it fires and resolves, then the score against the injected incidents; the page stays up until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run everything on this machine: a Kafka broker and schema registry, the stream processor, the alert sink with "
                + "its web page, and a simulated fleet of agents with injected incidents, played faster than real time. "
                + "Each alert is printed as it fires and resolves; at the end the alerts are scored against the incidents. "
                + "Ctrl-C stops everything."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:agentwatch.home:-.}/.agentwatch/demo",
            description = "The demo's own data (wiped at each start; `up` uses another directory) (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = StackOptions.KAFKA_PORT_OPTION, paramLabel = "PORT", defaultValue = "9092", description = "Kafka port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int kafkaPort;

    @Option(names = StackOptions.REGISTRY_PORT_OPTION, paramLabel = "PORT", defaultValue = "8081", description = "Schema registry port (default: ${DEFAULT-VALUE}; 0: any).")
    int registryPort;

    @Option(names = "--processor-port", paramLabel = "PORT", defaultValue = "8080", description = "Processor HTTP port (default: ${DEFAULT-VALUE}; another if taken).")
    int processorPort;

    @Option(names = "--sink-port", paramLabel = "PORT", defaultValue = "8090", description = "Alert page port (default: ${DEFAULT-VALUE}; another if taken).")
    int sinkPort;

    @Option(names = "--agents", defaultValue = "30", description = "Fleet size (default: ${DEFAULT-VALUE}; at least 22 for every incident kind).")
    int agents;

    @Option(names = "--rate", defaultValue = "60", description = "Events per simulated second over the fleet (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--fleet-time", defaultValue = "48m", converter = io.agentwatch.simulator.cli.DurationConverter.class,
            description = "How much of the fleet's time to play (default: ${DEFAULT-VALUE}).")
    Duration fleetTime;

    @Option(names = "--speed", defaultValue = "20", description = "How much faster than real time (default: ${DEFAULT-VALUE}x: 48m in about 2.4m).")
    double speed;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--incidents", defaultValue = "all", description = "Incident kinds to inject, as for `simulate` (default: ${DEFAULT-VALUE}).")
    String incidents;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file for the processor (default: the built-in rules).")
    Path rules;

    @Option(names = "--exit", description = "Stop after printing the score instead of keeping the page up until Ctrl-C.")
    boolean exitWhenDone;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = dataDir.toAbsolutePath().normalize();
        wipe(dir);
        Demo demo = new Demo(new Demo.Options(dir, kafkaPort, registryPort, processorPort, sinkPort, agents, rate, fleetTime, speed, seed,
                incidents, rules), out);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println();
            out.println("stopping the demo ...");
            out.flush();
            demo.close();
            stopped.countDown();
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScoreResult score = demo.run();
        if (score == null) {
            return 130;
        }
        if (exitWhenDone) {
            Runtime.getRuntime().removeShutdownHook(hook);
            demo.close();
            return score.perfect() ? 0 : 3;
        }
        out.println();
        out.println("The demo is done; the alert page stays up at " + demo.pageUrl() + "  Ctrl-C stops everything.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The demo starts from nothing each time: its directory holds only what the last demo wrote. */
    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
