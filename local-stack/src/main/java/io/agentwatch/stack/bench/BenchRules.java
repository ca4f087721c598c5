package io.agentwatch.stack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentwatch.processor.rules.RulesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The rules a benchmark runs with: {@code all} (the built-in rules, every detector), {@code core} (the built-in
 * window and event rules only: the detectors' nodes are then left out of the topology, which gives the core-only
 * figure to compare with), or a rules file.
 */
final class BenchRules {
    static final String ALL = "all";
    static final String CORE = "core";
    private static final Set<String> CORE_KINDS = Set.of("window", "event");

    private BenchRules() {
    }

    /** The rules file for the processor, or null for the built-in rules. */
    static Path write(String rules, Path workDir) throws IOException {
        if (rules == null || rules.equals(ALL)) {
            return null;
        }
        if (!rules.equals(CORE)) {
            Path file = Path.of(rules).toAbsolutePath();
            RulesFile.load(file); // a file that does not load fails here, not in the processor's log
            return file;
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try (InputStream in = RulesFile.class.getResourceAsStream(RulesFile.DEFAULT_RESOURCE)) {
            root = yaml.readTree(in);
        }
        ArrayNode kept = yaml.createArrayNode();
        for (JsonNode rule : root.path("rules")) {
            if (CORE_KINDS.contains(rule.path("kind").asText())) {
                kept.add(rule);
            }
        }
        ((ObjectNode) root).set("rules", kept);
        Path file = workDir.resolve("core-rules.yaml");
        Files.createDirectories(workDir);
        yaml.writeValue(file.toFile(), root);
        RulesFile.load(file);
        return file;
    }
}
