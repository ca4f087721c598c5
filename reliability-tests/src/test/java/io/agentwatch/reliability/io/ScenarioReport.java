package io.agentwatch.reliability.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * The figures a scenario prints (events, faults injected, expected, lost, duplicated, time to recover, ...): on the
 * test's standard output, where Maven shows them, and appended to {@code target/reliability/<scenario>.txt} so
 * that a long run's figures can be read afterwards.
 */
final class ScenarioReport {
    private final String scenario;
    private final Path file;
    private final StringBuilder text = new StringBuilder();

    ScenarioReport(String scenario) {
        this.scenario = scenario;
        this.file = Path.of("target", "reliability", scenario + ".txt");
        line("== %s (%s run) at %s", scenario, LongRuns.enabled() ? "long" : "short", Instant.now());
    }

    /** One line, printf-style (Locale.ROOT). */
    ScenarioReport line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        text.append(s).append('\n');
        System.out.println("[" + scenario + "] " + s);
        return this;
    }

    /** A figure: a name and its value. */
    ScenarioReport figure(String name, Object value) {
        return line("  %-34s %s", name + ":", value instanceof Number n && !(value instanceof Double) ? String.format(Locale.ROOT, "%,d", n.longValue()) : value);
    }

    /** Appends what was printed to the scenario's file. */
    void save() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
