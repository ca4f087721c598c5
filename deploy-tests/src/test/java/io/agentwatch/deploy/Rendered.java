package io.agentwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendered kustomization (base or an overlay) with the look-ups the checks need. */
record Rendered(String name, List<ObjectNode> resources) {

    static Rendered of(String dir) {
        return new Rendered(dir, Kustomize.render(Repo.path(dir)));
    }

    List<ObjectNode> kind(String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    Optional<ObjectNode> get(String kind, String name) {
        return Kustomize.find(resources, kind, name);
    }

    ObjectNode require(String kind, String name) {
        return get(kind, name).orElseThrow(() -> new AssertionError(this.name + ": no " + kind + "/" + name));
    }

    /** Workloads (Deployments, StatefulSets) whose pod template runs containers. */
    List<ObjectNode> workloads() {
        List<ObjectNode> out = new ArrayList<>(kind("Deployment"));
        out.addAll(kind("StatefulSet"));
        return out;
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode container(JsonNode workload, String name) {
        for (JsonNode c : podSpec(workload).path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(workload.path("metadata").path("name").asText() + " has no container " + name);
    }

    /** A container's environment as the kubelet builds it: envFrom ConfigMaps, then env values (secrets as "<secret:name/key>"). */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                ObjectNode cm = require("ConfigMap", from.path("configMapRef").path("name").asText());
                for (Iterator<Map.Entry<String, JsonNode>> it = cm.path("data").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    env.put(from.path("prefix").asText("") + e.getKey(), e.getValue().asText());
                }
            } else if (from.has("secretRef")) {
                env.put("<secretRef:" + from.path("secretRef").path("name").asText() + ">", "");
            }
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else if (e.path("valueFrom").has("secretKeyRef")) {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                env.put(name, "<secret:" + ref.path("name").asText() + "/" + ref.path("key").asText() + ">");
            } else if (e.path("valueFrom").has("fieldRef")) {
                env.put(name, "<field:" + e.path("valueFrom").path("fieldRef").path("fieldPath").asText() + ">");
            } else {
                env.put(name, "<from:" + e.path("valueFrom") + ">");
            }
        }
        return env;
    }

    /** Whether the selector's labels all appear on the pod template of the workload. */
    static boolean selects(JsonNode selector, JsonNode workload) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        if (selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** The container port a probe or Service names (by name or number), if any container of the pod has it. */
    static Optional<JsonNode> containerPort(JsonNode workload, JsonNode port) {
        for (JsonNode c : podSpec(workload).path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (port.isTextual() && !port.asText().matches("\\d+") ? p.path("name").asText().equals(port.asText())
                        : p.path("containerPort").asInt() == port.asInt()) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
