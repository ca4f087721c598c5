package io.agentwatch.processor.rules;

import io.agentwatch.schema.AgentEvent;
import java.util.List;
import java.util.Locale;

/**
 * How a rule splits an agent's traffic: per agent only, or per agent and one more dimension (workflow, model,
 * provider, tenant, agent_version or an attribute). Every segment key starts with the agent id, so segmented state
 * stays on the agent's partition. Written in the rules file as {@code segment_by: agent},
 * {@code segment_by: [agent, model]} or {@code segment_by: [agent, "attribute:risk"]}.
 *
 * @param dimension null for per-agent; else workflow, model, provider, tenant, agent_version or attribute
 * @param attribute the attribute name when the dimension is attribute
 */
public record Segmentation(String dimension, String attribute) {
    public static final Segmentation PER_AGENT = new Segmentation(null, null);
    private static final List<String> DIMENSIONS = List.of("workflow", "model", "provider", "tenant", "agent_version", "attribute");

    public Segmentation {
        if (dimension != null && !DIMENSIONS.contains(dimension)) {
            throw new IllegalArgumentException("unknown segment dimension '" + dimension + "'; known: agent, " + DIMENSIONS);
        }
        if ("attribute".equals(dimension) && (attribute == null || attribute.isBlank())) {
            throw new IllegalArgumentException("segment by attribute needs a name: \"attribute:<name>\"");
        }
    }

    /** Parses the items of {@code segment_by}. */
    public static Segmentation parse(List<String> items) {
        String dimension = null;
        String attribute = null;
        for (String raw : items) {
            String item = raw.trim();
            if (item.equalsIgnoreCase("agent") || item.equalsIgnoreCase("agent_id")) {
                continue;
            }
            if (dimension != null) {
                throw new IllegalArgumentException("segment_by takes the agent and at most one more dimension, got " + items);
            }
            if (item.toLowerCase(Locale.ROOT).startsWith("attribute:")) {
                dimension = "attribute";
                attribute = item.substring("attribute:".length()).trim();
            } else {
                dimension = item.toLowerCase(Locale.ROOT);
            }
        }
        return new Segmentation(dimension, attribute);
    }

    public boolean perAgent() {
        return dimension == null;
    }

    /** The label name of the segment in alerts: workflow, model, ..., or the attribute's name. */
    public String label() {
        return "attribute".equals(dimension) ? attribute : dimension;
    }

    /** The segment value of an event, or null when the event does not carry it (it then counts only per agent). */
    public String valueOf(AgentEvent e) {
        if (dimension == null) {
            return null;
        }
        return switch (dimension) {
            case "workflow" -> e.getWorkflow();
            case "model" -> e.getModel();
            case "provider" -> e.getProvider();
            case "tenant" -> e.getTenant();
            case "agent_version" -> e.getAgentVersion();
            default -> e.getAttributes() == null ? null : e.getAttributes().get(attribute);
        };
    }

    /** A stable id of the segmentation, used in state keys: "" per agent, else e.g. "model" or "attribute:risk". */
    public String id() {
        return dimension == null ? "" : ("attribute".equals(dimension) ? "attribute:" + attribute : dimension);
    }

    @Override
    public String toString() {
        return dimension == null ? "[agent]" : "[agent, " + id() + "]";
    }
}
