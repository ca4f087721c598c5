package io.agentwatch.stack;

import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.rules.RulesFile;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Alert;
import io.agentwatch.schema.AlertStatus;
import io.agentwatch.schema.registry.HttpSchemaRegistryClient;
import io.agentwatch.schema.registry.InMemorySchemaRegistryClient;
import io.agentwatch.schema.registry.RegistryConfig;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import io.agentwatch.schema.serde.AvroWireSerializer;
import io.agentwatch.service.Durations;
import io.agentwatch.simulator.publish.EventFileReader;
import io.agentwatch.stack.backtest.Backtest;
import io.agentwatch.stack.backtest.RawEvent;
import io.agentwatch.stack.backtest.TopicEvents;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code agentwatch backtest}: which alerts would these rules have raised on these events? Replays recorded events
 * (an events topic, or a file written by {@code simulate --output}) through the processor's topology offline and
 * prints the alerts; the cluster is only read.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay recorded events through the processor's topology offline and report the alerts a rules file would have "
                + "raised: try a threshold change on last week's traffic before deploying it. Reads an events topic (no consumer "
                + "group, nothing written to the cluster) or a file from `simulate --output`."})
public final class BacktestCommand implements Callable<Integer> {
    @Option(names = "--rules", paramLabel = "FILE", description = "rules file (YAML); default: the built-in rules")
    Path rules;

    @Option(names = "--events", paramLabel = "TOPIC|FILE", required = true,
            description = "an Avro events file (from `simulate --output`) if such a file exists, else a topic name (needs --bootstrap and --registry)")
    String events;

    @Option(names = {"--bootstrap", "--bootstrap-servers"}, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (topic input)")
    String bootstrap;

    @Option(names = {"--registry", "--schema-registry-url"}, paramLabel = "URL", description = "schema registry of the recorded events (topic input)")
    String registry;

    @Option(names = "--consumer-config", paramLabel = "FILE", description = "extra consumer and registry properties (security)")
    Path consumerConfig;

    @Option(names = "--from", paramLabel = "TIME", description = "first event time: epoch ms, ISO-8601, or a duration ago (e.g. 7d)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "last event time (exclusive): epoch ms, ISO-8601, or a duration ago")
    String to;

    @Option(names = "--output", paramLabel = "FILE", description = "also write every alert as one JSON object per line")
    Path output;

    @Option(names = "--quiet", description = "print only the summary, not every alert")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long fromMs = from == null ? 0 : time(from, "--from");
        long toMs = to == null ? Long.MAX_VALUE : time(to, "--to");
        RuleSet ruleSet = rules == null ? RulesFile.defaults() : RulesFile.load(rules);
        Path file = Path.of(events);
        Backtest.Result result;
        if (Files.isRegularFile(file)) {
            InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
            try (EventFileReader reader = new EventFileReader(file)) {
                out.printf("replaying %s with %s ...%n", file, ruleSet.source());
                out.flush();
                result = Backtest.run(ruleSet, fromFile(reader, registry, fromMs, toMs), registry);
            }
        } else {
            if (bootstrap == null || registry == null) {
                throw new ParameterException(spec.commandLine(), "--events " + events + " is no file, so it is a topic: --bootstrap and --registry are needed");
            }
            Map<String, Object> props = extraProperties();
            props.put("bootstrap.servers", bootstrap);
            props.put(RegistryConfig.URL, registry);
            SchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryConfig.fromProperties(props));
            try (TopicEvents topic = new TopicEvents(props, events, fromMs, toMs)) {
                out.printf("replaying topic %s on %s with %s ...%n", events, bootstrap, ruleSet.source());
                out.flush();
                result = Backtest.run(ruleSet, topic, client);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--events: " + e.getMessage());
            }
        }
        if (!quiet) {
            for (Alert a : result.alerts()) {
                out.println(line(a));
            }
        }
        if (output != null) {
            try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                for (Alert a : result.alerts()) {
                    w.write(a.toString());
                    w.newLine();
                }
            }
        }
        printSummary(out, result);
        return 0;
    }

    private static Iterator<RawEvent> fromFile(EventFileReader reader, InMemorySchemaRegistryClient registry, long fromMs, long toMs) {
        AvroWireSerializer<AgentEvent> serializer = new AvroWireSerializer<>(registry, false, true);
        return new Iterator<>() {
            private RawEvent next = advance();

            private RawEvent advance() {
                while (reader.hasNext()) {
                    AgentEvent e = reader.next();
                    long ts = e.getTimestamp().toEpochMilli();
                    if (ts >= fromMs && ts < toMs) {
                        return new RawEvent(e.getAgentId().getBytes(StandardCharsets.UTF_8), serializer.serialize("agent.events", e), ts);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public RawEvent next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                RawEvent current = next;
                next = advance();
                return current;
            }
        };
    }

    private static String line(Alert a) {
        String where = a.getRootCauseAgentId() != null ? "root cause " + a.getRootCauseAgentId()
                : a.getScope().getSessionId() != null ? "session " + a.getScope().getSessionId() + " of " + a.getScope().getAgentId()
                : String.valueOf(a.getScope().getAgentId());
        Instant at = a.getStatus() == AlertStatus.FIRING ? a.getStartsAt() : a.getEndsAt();
        return String.format(Locale.ROOT, "%s  %-8s %-8s %-28s %-34s %s", at, a.getStatus(), a.getSeverity().name().toLowerCase(Locale.ROOT),
                a.getAlertname(), where, a.getSummary());
    }

    private static void printSummary(PrintWriter out, Backtest.Result result) {
        Map<String, long[]> byName = new TreeMap<>();
        Map<String, java.util.Set<String>> scopes = new HashMap<>();
        for (Alert a : result.alerts()) {
            long[] c = byName.computeIfAbsent(a.getAlertname(), k -> new long[2]);
            c[a.getStatus() == AlertStatus.FIRING ? 0 : 1]++;
            scopes.computeIfAbsent(a.getAlertname(), k -> new java.util.HashSet<>()).add(a.getFingerprint());
        }
        out.printf(Locale.ROOT, "%n%,d events replayed, %,d dead-lettered, %,d alert records%n", result.events(), result.deadLetters(), result.alerts().size());
        out.printf(Locale.ROOT, "%-28s %8s %9s %10s%n", "alertname", "firing", "resolved", "incidents");
        byName.forEach((name, c) -> out.printf(Locale.ROOT, "%-28s %8d %9d %10d%n", name, c[0], c[1], scopes.get(name).size()));
        out.flush();
    }

    private Map<String, Object> extraProperties() throws IOException {
        Map<String, Object> props = new HashMap<>();
        if (consumerConfig != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(consumerConfig)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        }
        return props;
    }

    private long time(String text, String option) {
        String s = text.trim();
        try {
            if (s.matches("\\d{10,}")) {
                return Long.parseLong(s);
            }
            if (s.matches("\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)")) {
                return System.currentTimeMillis() - Durations.parse(s).toMillis();
            }
            if (s.endsWith("Z")) {
                return Instant.parse(s).toEpochMilli();
            }
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), option + ": '" + text + "' is not epoch milliseconds, ISO-8601 or a duration ago (e.g. 7d)");
        }
    }
}
