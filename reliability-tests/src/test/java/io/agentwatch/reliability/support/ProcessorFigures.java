package io.agentwatch.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures a processor scenario prints when it ends (events, faults injected, alerts expected, lost,
 * duplicated, time to recover, ...): on standard output, which is this test's own report, and into
 * {@code target/reliability-figures/<scenario>-<length>.txt} so that a run's figures can be read afterwards.
 */
public final class ProcessorFigures {
    private final String scenario;
    private final List<String> lines = new ArrayList<>();

    public ProcessorFigures(String scenario) {
        this.scenario = scenario;
    }

    public ProcessorFigures add(String name, Object value) {
        lines.add(String.format(Locale.ROOT, "  %-34s %s", name, value));
        return this;
    }

    public ProcessorFigures add(String name, String format, Object... args) {
        return add(name, String.format(Locale.ROOT, format, args));
    }

    public ProcessorFigures comparison(AlertComparison c) {
        add("alerts expected (fault-free run)", c.expected());
        add("alerts read (read_committed)", c.actual());
        add("lost", c.lost());
        add("duplicated", c.duplicated());
        add("unexpected", c.unexpected());
        add("retimed (same incident, other start)", "%d, largest shift %d ms (an evaluation interval: %d ms; a difference beyond %d ms)", c.retimed(),
                c.maxShiftMs(), AlertComparison.TOLERANCE, AlertComparison.MAX_SHIFT);
        c.retimedExamples().forEach(e -> lines.add("    " + e));
        add("expected by alertname/status", c.expectedByAlertname());
        c.examples().forEach(e -> lines.add("    " + e));
        return this;
    }

    /** Prints the figures and writes them under target/reliability-figures. */
    public void print() {
        StringBuilder text = new StringBuilder();
        text.append("==== reliability figures: ").append(scenario).append(" (").append(ProcessorScenarioLength.name()).append(" version) ====\n");
        lines.forEach(l -> text.append(l).append('\n'));
        text.append("====\n");
        System.out.print(text);
        System.out.flush();
        Path file = Path.of("target", "reliability-figures", scenario + "-" + ProcessorScenarioLength.name() + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
