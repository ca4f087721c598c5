package io.agentwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every YAML document of a file or a string, as Jackson trees (empty documents skipped). */
final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

    private Yaml() {
    }

    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(file.toFile())) {
            return collect(it);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<JsonNode> documents(String text) {
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            return collect(it);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode single(Path file) {
        List<JsonNode> docs = documents(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " documents, expected one");
        }
        return docs.get(0);
    }

    private static List<JsonNode> collect(MappingIterator<JsonNode> it) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        while (it.hasNextValue()) {
            JsonNode n = it.nextValue();
            if (n != null && !n.isNull() && !n.isMissingNode() && !(n.isObject() && n.isEmpty())) {
                out.add(n);
            }
        }
        return out;
    }
}
