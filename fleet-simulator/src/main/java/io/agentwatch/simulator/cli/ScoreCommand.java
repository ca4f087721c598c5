package io.agentwatch.simulator.cli;

import io.agentwatch.schema.Contracts;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.simulator.Durations;
import io.agentwatch.simulator.score.AlertReader;
import io.agentwatch.simulator.score.ScoreResult;
import io.agentwatch.simulator.score.Scorer;
import io.agentwatch.simulator.truth.GroundTruth;
import io.agentwatch.simulator.truth.GroundTruthFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code agentwatch score}: reads the alerts on the alert topic and scores them against a ground-truth file
 * (see {@link Scorer} for the rules), printing detections, misses, false alarms and time to detect per
 * alertname. The {@code agentwatch} command of local-stack registers it; {@link #main} runs it alone.
 */
@Command(name = "score", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Scores the alerts on the alert topic against the ground truth of a simulation:",
                "detections, misses, false alarms and time to detect per alertname."},
        footer = {"", "Time to detect = the alert's starts_at minus the incident's start (both event time).",
                "Exit codes: 0 scored, 1 reading failed, 2 bad options, 3 with --strict: a miss or a false alarm."})
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--truth", paramLabel = "FILE", required = true, description = "Ground truth written by simulate --truth.")
    Path truth;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL", required = true, description = "Confluent-compatible schema registry base URL.")
    String registry;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = Contracts.ALERTS_TOPIC, description = "Alert topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from-beginning", description = "Read the alerts already on the topic; otherwise only those that arrive while waiting.")
    boolean fromBeginning;

    @Option(names = "--wait", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
            description = "Stop reading after this long without a new alert (default: ${DEFAULT-VALUE}).")
    Duration idleWait;

    @Option(names = "--tolerance", paramLabel = "D", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long after an incident's end an alert still counts for it (default: ${DEFAULT-VALUE}).")
    Duration tolerance;

    @Option(names = "--consumer-config", paramLabel = "FILE", description = "Extra Kafka consumer and schema-registry properties (SASL, TLS, ...).")
    Path consumerConfig;

    @Option(names = "--strict", description = "Exit with 3 unless every incident is detected and there is no false alarm.")
    boolean strict;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScoreCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandLine cl = spec.commandLine();
        if (!Files.isRegularFile(truth)) {
            throw new ParameterException(cl, "--truth: no such file " + truth);
        }
        List<GroundTruth> incidents;
        try {
            incidents = new GroundTruthFile().read(truth);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(cl, "--truth: " + e.getMessage());
        }
        try {
            RegistryConfig.of(registry);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--registry: " + e.getMessage());
        }
        if (idleWait.isNegative() || tolerance.isNegative()) {
            throw new ParameterException(cl, "--wait and --tolerance must not be negative");
        }
        Map<String, Object> extra = loadConsumerConfig();
        out.printf("reading alerts from %s at %s (%s), until %s without a new one%n", topic, bootstrap,
                fromBeginning ? "from the beginning" : "new alerts only", Durations.format(idleWait));
        out.flush();
        AlertReader.Result read;
        AlertReader reader = null;
        try {
            reader = AlertReader.create(bootstrap, registry, extra);
            read = reader.read(topic, fromBeginning, idleWait);
        } catch (KafkaException | IllegalArgumentException | io.agentwatch.schema.registry.SchemaRegistryException e) {
            err.println("error: cannot read alerts from " + topic + ": " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
        out.printf("read %d alert records%s; %d incidents in %s%n%n", read.alerts().size(),
                read.skipped() > 0 ? " (" + read.skipped() + " undecodable records skipped)" : "", incidents.size(), truth);
        ScoreResult result = new Scorer(tolerance).score(incidents, read.alerts());
        out.print(result.render());
        out.flush();
        return strict && !result.perfect() ? 3 : 0;
    }

    private Map<String, Object> loadConsumerConfig() {
        Map<String, Object> extra = new HashMap<>();
        if (consumerConfig == null) {
            return extra;
        }
        if (!Files.isRegularFile(consumerConfig)) {
            throw new ParameterException(spec.commandLine(), "--consumer-config: no such file " + consumerConfig);
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(consumerConfig)) {
            props.load(in);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--consumer-config: cannot read " + consumerConfig + ": " + e.getMessage());
        }
        props.stringPropertyNames().forEach(name -> extra.put(name, props.getProperty(name)));
        return extra;
    }
}
