package io.agentwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboard JSON under docker/grafana: its panels (rows' collapsed panels included) and their queries. */
record Dashboard(JsonNode json, List<Panel> panels) {
    static final String FILE = "docker/grafana/dashboards/agentwatch.json";

    /** A panel with its Prometheus queries ({@code targets[].expr}) and the uid of every datasource it names. */
    record Panel(int id, String title, String type, List<String> exprs, List<String> datasourceUids) {
    }

    static Dashboard load() {
        return load(Repo.path(FILE));
    }

    static Dashboard load(Path file) {
        try {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            List<Panel> panels = new ArrayList<>();
            collect(json.path("panels"), panels);
            return new Dashboard(json, List.copyOf(panels));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode list, List<Panel> out) {
        for (JsonNode p : list) {
            List<String> exprs = new ArrayList<>();
            List<String> uids = new ArrayList<>();
            if (p.path("datasource").has("uid")) {
                uids.add(p.path("datasource").path("uid").asText());
            }
            for (JsonNode t : p.path("targets")) {
                if (t.has("expr")) {
                    exprs.add(t.path("expr").asText());
                }
                if (t.path("datasource").has("uid")) {
                    uids.add(t.path("datasource").path("uid").asText());
                }
            }
            out.add(new Panel(p.path("id").asInt(), p.path("title").asText(), p.path("type").asText(), exprs, uids));
            collect(p.path("panels"), out);
        }
    }
}
