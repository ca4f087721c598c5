package io.agentwatch.simulator.truth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ground-truth files: JSON Lines, one {@link GroundTruth} object per line, UTF-8. Blank lines
 * are skipped; a bad line fails with its line number. Unknown fields are ignored, so older readers keep working
 * when fields are added.
 */
public final class GroundTruthFile {
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public void write(Path file, List<GroundTruth> incidents) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                write(out, incidents);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ground truth to " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Writer out, List<GroundTruth> incidents) throws IOException {
        for (GroundTruth incident : incidents) {
            out.write(toLine(incident));
            out.write('\n');
        }
        out.flush();
    }

    public String toLine(GroundTruth incident) {
        try {
            return json.writeValueAsString(incident);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + incident.incidentId() + ": " + e.getMessage(), e);
        }
    }

    public List<GroundTruth> read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ground truth " + file + ": " + e.getMessage(), e);
        }
    }

    public List<GroundTruth> read(Reader reader, String name) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<GroundTruth> incidents = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                incidents.add(json.readValue(line, GroundTruth.class));
            } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(name + " line " + number + " is not a ground-truth record: " + e.getMessage(), e);
            }
        }
        return incidents;
    }
}
