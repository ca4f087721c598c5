package io.agentwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders a kustomization without kustomize, for the features k8s/ uses and nothing more: {@code resources}
 * (files and directories holding a kustomization), {@code patches} with a {@code path} to strategic-merge patches
 * whose target is the resource of the same kind and name, {@code images} ({@code newName}, {@code newTag},
 * {@code digest}) and {@code namespace}. Anything else in a kustomization.yaml fails the render, so that a
 * manifest change the checks cannot follow is noticed. Strategic merge as Kubernetes does it for the lists k8s/
 * patches: containers, env, volumes by {@code name}, volumeMounts by {@code mountPath}, ports by
 * {@code containerPort}; every other list (and every list of a custom resource) is replaced.
 * {@code kubectl kustomize}, where installed, must render the same (ExternalValidatorsTest).
 */
final class Kustomize {
    private static final List<String> KNOWN = List.of("apiVersion", "kind", "resources", "patches", "images", "namespace");
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name", "initContainers", "name", "env", "name", "volumes", "name",
            "volumeMounts", "mountPath", "ports", "containerPort");
    private static final List<String> BUILT_IN_GROUPS = List.of("v1", "apps/v1", "policy/v1", "batch/v1");

    private Kustomize() {
    }

    /** The rendered resources of the kustomization in the directory. */
    static List<ObjectNode> render(Path dir) {
        JsonNode k = Yaml.single(dir.resolve("kustomization.yaml"));
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!KNOWN.contains(field)) {
                throw new IllegalStateException(dir + "/kustomization.yaml uses '" + field + "', which this renderer does not implement");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                resources.addAll(render(p));
            } else {
                for (JsonNode doc : Yaml.documents(p)) {
                    resources.add((ObjectNode) doc);
                }
            }
        }
        for (JsonNode patch : k.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalStateException(dir + ": only 'patches: - path: <file>' is implemented, got " + patch);
            }
            for (JsonNode doc : Yaml.documents(dir.resolve(patch.path("path").asText()))) {
                ObjectNode target = find(resources, doc.path("kind").asText(), doc.path("metadata").path("name").asText())
                        .orElseThrow(() -> new IllegalStateException(dir + ": patch for " + doc.path("kind").asText() + "/"
                                + doc.path("metadata").path("name").asText() + " matches no resource"));
                merge(target, (ObjectNode) doc, BUILT_IN_GROUPS.contains(target.path("apiVersion").asText()));
            }
        }
        for (JsonNode image : k.path("images")) {
            for (ObjectNode r : resources) {
                setImage(r, image);
            }
        }
        if (k.has("namespace")) {
            for (ObjectNode r : resources) {
                ((ObjectNode) r.path("metadata")).put("namespace", k.path("namespace").asText());
            }
        }
        return resources;
    }

    static java.util.Optional<ObjectNode> find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> r.path("kind").asText().equals(kind) && r.path("metadata").path("name").asText().equals(name))
                .findFirst();
    }

    /** Strategic merge of the patch into the target, in place. */
    static void merge(ObjectNode target, ObjectNode patch, boolean builtIn) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            JsonNode value = e.getValue();
            if (existing instanceof ObjectNode eo && value instanceof ObjectNode vo) {
                merge(eo, vo, builtIn);
            } else if (builtIn && existing instanceof ArrayNode ea && value instanceof ArrayNode va && MERGE_KEYS.containsKey(e.getKey())) {
                mergeList(ea, va, MERGE_KEYS.get(e.getKey()), builtIn);
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key, boolean builtIn) {
        for (JsonNode item : patch) {
            ObjectNode match = null;
            for (JsonNode t : target) {
                if (t.path(key).equals(item.path(key))) {
                    match = (ObjectNode) t;
                }
            }
            if (match != null) {
                merge(match, (ObjectNode) item, builtIn);
            } else {
                target.add(item.deepCopy());
            }
        }
    }

    private static void setImage(JsonNode node, JsonNode image) {
        if (node instanceof ObjectNode o) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : o.path(list)) {
                    String ref = c.path("image").asText();
                    if (!ref.isEmpty() && imageName(ref).equals(image.path("name").asText())) {
                        String name = image.has("newName") ? image.path("newName").asText() : imageName(ref);
                        String out = name;
                        if (image.has("digest")) {
                            out = name + "@" + image.path("digest").asText();
                        } else if (image.has("newTag")) {
                            out = name + ":" + image.path("newTag").asText();
                        }
                        ((ObjectNode) c).put("image", out);
                    }
                }
            }
        }
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                setImage(child, image);
            }
        }
    }

    /** The image reference without tag and digest. */
    static String imageName(String ref) {
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) {
            r = r.substring(0, at);
        }
        int slash = r.lastIndexOf('/');
        int colon = r.lastIndexOf(':');
        return colon > slash ? r.substring(0, colon) : r;
    }
}
