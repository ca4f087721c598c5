package io.agentwatch.simulator.fleet;

import java.util.Map;

/**
 * Everything that is fixed about one simulated agent: identity, owner, model, tools, limits, the share of the
 * fleet's sessions it starts, and (for crews) the agent it hands off to. Immutable; what changes during a
 * simulation lives in the engine's per-agent state.
 *
 * @param index              position in the fleet (0-based)
 * @param agentId            {@code gen_ai.agent.id}, also the Kafka key
 * @param agentName          human-readable name (the role)
 * @param version            the release the agent runs unless an incident changes it
 * @param tenant             owning tenant
 * @param workflow           {@code gen_ai.workflow.name}
 * @param model              the model its LLM steps call
 * @param tools              indexes into {@link Catalog#TOOLS}; the first is its main tool
 * @param toolCumulative     cumulative choice weights of {@code tools}
 * @param maxIterations      its reasoning-loop limit
 * @param confidenceMean     mean confidence of its finished runs
 * @param attributes         low-cardinality attributes, in sorted key order (never hash order: bytes must repeat)
 * @param role               solo or its place in a crew
 * @param delegate           index of the agent it hands off to, or -1
 * @param handoffProbability chance that one of its runs hands off to the delegate
 * @param weight             relative share of new sessions it starts
 */
public record AgentProfile(
        int index,
        String agentId,
        String agentName,
        String version,
        String tenant,
        String workflow,
        ModelProfile model,
        int[] tools,
        double[] toolCumulative,
        int maxIterations,
        double confidenceMean,
        Map<String, String> attributes,
        AgentRole role,
        int delegate,
        double handoffProbability,
        double weight) {

    public ToolProfile tool(int slot) {
        return Catalog.TOOLS.get(tools[slot]);
    }

    /** The main tool: the one it calls most often. */
    public ToolProfile mainTool() {
        return tool(0);
    }

    @Override
    public String toString() {
        return "AgentProfile[" + agentId + ", " + role + ", " + model.name() + ", v" + version + "]";
    }
}
