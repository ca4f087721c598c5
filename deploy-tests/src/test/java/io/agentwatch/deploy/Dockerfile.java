package io.agentwatch.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as the instructions it holds (continuation lines joined, comments dropped), enough to check
 * what an image promises and to run its ENTRYPOINT and HEALTHCHECK outside a container. Not a full parser: the
 * forms used under docker/ (exec-form JSON arrays, {@code KEY=value} ENV and ARG) are what it reads.
 */
record Dockerfile(Path file, List<Instruction> instructions) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)=(\"[^\"]*\"|\\S*)");

    /** One instruction: its keyword in upper case and the rest of its (joined) line. */
    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String text = current.toString().strip();
                current.setLength(0);
                if (!text.isEmpty()) {
                    int space = text.indexOf(' ');
                    out.add(new Instruction(text.substring(0, space < 0 ? text.length() : space).toUpperCase(Locale.ROOT),
                            space < 0 ? "" : text.substring(space + 1).strip()));
                }
            }
        }
        return new Dockerfile(file, List.copyOf(out));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions after the last FROM: what the shipped image is made of. */
    Dockerfile finalStage() {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return new Dockerfile(file, instructions.subList(last, instructions.size()));
    }

    /** ARG defaults declared before the first FROM (the global ones, usable in FROM lines). */
    Map<String, String> globalArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                break;
            }
            if (i.keyword().equals("ARG")) {
                args.putAll(assignments(i.arguments()));
            }
        }
        return args;
    }

    /** The image references of the FROM lines, with global ARGs substituted. */
    List<String> baseImages() {
        Map<String, String> args = globalArgs();
        List<String> images = new ArrayList<>();
        for (Instruction i : all("FROM")) {
            String ref = i.arguments().split("\\s+")[0];
            for (Map.Entry<String, String> a : args.entrySet()) {
                ref = ref.replace("${" + a.getKey() + "}", a.getValue()).replace("$" + a.getKey(), a.getValue());
            }
            images.add(ref);
        }
        return images;
    }

    /** ENV of the final stage, in order. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : finalStage().all("ENV")) {
            env.putAll(assignments(i.arguments()));
        }
        return env;
    }

    /** The exec-form ENTRYPOINT of the final stage. */
    List<String> entrypoint() {
        List<Instruction> e = finalStage().all("ENTRYPOINT");
        if (e.isEmpty()) {
            throw new IllegalStateException(file + " has no ENTRYPOINT");
        }
        return execForm(e.get(e.size() - 1).arguments());
    }

    /** The exec-form command of the final stage's HEALTHCHECK (after its options). */
    List<String> healthcheck() {
        List<Instruction> h = finalStage().all("HEALTHCHECK");
        if (h.isEmpty()) {
            throw new IllegalStateException(file + " has no HEALTHCHECK");
        }
        String args = h.get(h.size() - 1).arguments();
        int cmd = args.indexOf("CMD ");
        if (cmd < 0) {
            throw new IllegalStateException(file + ": HEALTHCHECK without CMD");
        }
        return execForm(args.substring(cmd + 4).strip());
    }

    /** Label keys and values of the final stage. */
    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Instruction i : finalStage().all("LABEL")) {
            assignments(i.arguments()).forEach((k, v) -> labels.put(k, v));
        }
        return labels;
    }

    private static List<String> execForm(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("not an exec-form JSON array: " + json, e);
        }
    }

    private static Map<String, String> assignments(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ASSIGNMENT.matcher(text);
        while (m.find()) {
            String v = m.group(2);
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(m.group(1), v);
        }
        return out;
    }
}
