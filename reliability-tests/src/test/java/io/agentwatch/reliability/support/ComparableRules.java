package io.agentwatch.reliability.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The processor's built-in rules file minus AgentSilent, whose alerts cannot be compared between two runs of the
 * same input: it watches the wall clock by design (an agent is silent when nothing arrives from it for a while), so
 * a processor that is down for a while, or that has read a whole backlog and waits, sees silence that a run at
 * another moment does not. (CascadeFailure was left out too until its lineage records stopped feeding the agents'
 * tasks and its clock became the slowest upstream task's: both found by this suite.)
 */
public final class ComparableRules {
    private static final String RESOURCE = "/io/agentwatch/processor/default-rules.yaml";
    private static final Set<String> LEFT_OUT = Set.of("  - id: agent-silent");

    private ComparableRules() {
    }

    public static Path write(Path dir) throws IOException {
        String text;
        try (InputStream in = ComparableRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in rules " + RESOURCE + " are not on the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> kept = new ArrayList<>();
        boolean skipping = false;
        int removed = 0;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("  - id: ")) {
                skipping = LEFT_OUT.contains(line.stripTrailing());
                removed += skipping ? 1 : 0;
            }
            if (!skipping) {
                kept.add(line);
            }
        }
        if (removed != LEFT_OUT.size()) {
            throw new IllegalStateException("the built-in rules no longer have all of " + LEFT_OUT + ": update " + ComparableRules.class.getSimpleName());
        }
        Path file = dir.resolve("comparable-rules.yaml");
        Files.createDirectories(dir);
        Files.writeString(file, String.join("\n", kept), StandardCharsets.UTF_8);
        return file;
    }
}
