package io.agentwatch.processor.detect;

import io.agentwatch.processor.ProcessorMetrics;
import io.agentwatch.processor.alerts.AlertContext;
import io.agentwatch.processor.alerts.AlertLifecycle;
import io.agentwatch.processor.alerts.AlertLifecycle.Emit;
import io.agentwatch.processor.alerts.AlertState;
import io.agentwatch.processor.alerts.Fingerprint;
import io.agentwatch.processor.rules.EffectiveRule;
import io.agentwatch.processor.rules.RuleDefinition;
import io.agentwatch.processor.rules.RuleKind;
import io.agentwatch.processor.rules.RuleResolver;
import io.agentwatch.processor.rules.RuleSet;
import io.agentwatch.processor.topology.StoreNames;
import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Status;
import io.agentwatch.schema.serde.ByteSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Record;

/**
 * ToolTimeoutChain (rules of kind {@code tool_timeout_chain}): the same tool timing out {@code threshold} times in a
 * row for an agent (default 3). Only a success (status OK) of that tool resets the chain; an ERROR or CANCELLED call
 * neither counts nor resets it. Fires on the call that completes the chain, resolves on the tool's next success or
 * after {@code resolve_after} without a timeout of it. Also keeps, per agent and tool, the calls, failures,
 * timeouts and total latency that the fleet query ranks tools by. State: {@code agent-tools-store}, one record per
 * agent with all its tools.
 */
public final class ToolTimeoutChainDetector extends StateDetector<String, AgentTools> {
    private static final int DEFAULT_CHAIN = 3;

    /** Agents with a firing chain, for resolution after resolve_after; bounded by the firing alerts. */
    private final Set<String> firing = new HashSet<>();

    public ToolTimeoutChainDetector(RuleSet rules, DetectorSettings settings, RuleResolver resolver, ProcessorMetrics metrics) {
        super(rules, RuleKind.TOOL_TIMEOUT_CHAIN, settings, resolver, metrics, StoreNames.AGENT_TOOLS, StoreNames.AGENT_DETECTORS_HOOK,
                settings.liveAgents(), false);
    }

    @Override
    public void process(Record<String, AgentEvent> record) {
        AgentEvent e = record.value();
        String toolName = e.getToolName();
        if (toolName == null) {
            return;
        }
        long ts = record.timestamp();
        String agentId = e.getAgentId();
        AgentTools agent = live(agentId, ts);
        AgentTools.Tool tool = agent.tool(toolName, ts);
        tool.calls++;
        tool.lastCall = Math.max(tool.lastCall, ts);
        Long latency = e.getLatencyMs();
        if (latency != null) {
            tool.latencyMs += latency;
        }
        Status status = e.getStatus();
        if (status == Status.OK) {
            tool.chain = 0;
            if (tool.alerts != null) {
                resolveOnSuccess(agent, tool, agentId, ts);
            }
            return;
        }
        if (status == Status.TIMEOUT) {
            tool.timeouts++;
            tool.failures++;
            tool.chain++;
        } else if (status == Status.ERROR) {
            tool.failures++;
            return;
        } else {
            return;
        }
        EffectiveRule[] effective = rulesFor(agentId);
        for (int i = 0; i < effective.length; i++) {
            EffectiveRule eff = effective[i];
            RuleDefinition def = eff.definition();
            if (!eff.enabled() || tool.chain < def.thresholdOr(DEFAULT_CHAIN)) {
                continue;
            }
            AlertState state = tool.alert(i, rules.size());
            boolean wasFiring = state.phase() == AlertState.Phase.FIRING;
            if (!wasFiring) {
                agent.tenant = e.getTenant();
                agent.workflow = e.getWorkflow();
            }
            firing.add(agentId);
            Emit emit = AlertLifecycle.occurred(state, ts, def.repeatInterval());
            if (emit != Emit.NOTHING) {
                AlertContext ctx = context(def, agent, agentId, toolName)
                        .numbers(tool.chain, def.thresholdOr(DEFAULT_CHAIN), Double.NaN)
                        .evidence(e.getTraceId() == null ? List.of() : List.of(e.getTraceId()));
                emitter.emit(def, state, emit, !wasFiring, ts, ctx);
            }
        }
    }

    private void resolveOnSuccess(AgentTools agent, AgentTools.Tool tool, String agentId, long ts) {
        for (int i = 0; i < rules.size(); i++) {
            AlertState state = tool.alerts[i];
            if (state != null && state.isActive()) {
                RuleDefinition def = resolver.resolve(rules.get(i), agentId).definition();
                emitter.emit(def, state, AlertLifecycle.end(state), false, ts, context(def, agent, agentId, tool.name));
            }
        }
    }

    private static AlertContext context(RuleDefinition def, AgentTools agent, String agentId, String tool) {
        return new AlertContext()
                .fingerprint(Fingerprint.of(def.id(), Map.of("agent_id", agentId, "tool_name", tool)))
                .agent(agentId, agent.tenant)
                .label("workflow", agent.workflow)
                .label("tool_name", tool);
    }

    @Override
    protected void tick(long now) {
        if (firing.isEmpty()) {
            return;
        }
        for (String agentId : new ArrayList<>(firing)) {
            AgentTools agent = cache.get(agentId);
            boolean stillFiring = false;
            for (AgentTools.Tool tool : agent == null ? List.<AgentTools.Tool>of() : agent.tools.values()) {
                for (int i = 0; tool.alerts != null && i < rules.size(); i++) {
                    AlertState state = tool.alerts[i];
                    if (state == null || !state.isActive()) {
                        continue;
                    }
                    EffectiveRule eff = resolver.resolve(rules.get(i), agentId);
                    Emit emit = eff.enabled() ? AlertLifecycle.expire(state, now, eff.definition().resolveAfter()) : AlertLifecycle.end(state);
                    if (emit != Emit.NOTHING) {
                        cache.markDirty(agentId);
                        emitter.emit(eff.definition(), state, emit, false, now, context(eff.definition(), agent, agentId, tool.name));
                    }
                    stillFiring |= state.isActive();
                }
            }
            if (!stillFiring) {
                firing.remove(agentId);
            }
        }
    }

    @Override
    protected String keep(String probe) {
        return probe;
    }

    @Override
    protected String storeKey(String key) {
        return key;
    }

    @Override
    protected AgentTools create(String key, long ts) {
        return new AgentTools();
    }

    @Override
    protected AgentTools decode(String key, byte[] bytes) {
        return AgentTools.decode(bytes, ruleIds);
    }

    @Override
    protected boolean scansOnInit() {
        return true;
    }

    @Override
    protected void restored(String agentId, byte[] bytes) {
        if (AgentTools.decode(bytes, ruleIds).hasActiveAlert()) {
            firing.add(agentId);
        }
    }

    @Override
    protected void encode(AgentTools state, ByteSink out) {
        state.encode(out, ruleIds);
    }

    /** The stored tools of an agent for the query endpoints. */
    static List<Map<String, Object>> describe(byte[] bytes, List<String> ruleIds) {
        return AgentTools.decode(bytes, ruleIds).describe(ruleIds);
    }
}
