package io.agentwatch.simulator;

import io.agentwatch.schema.AgentEvent;
import io.agentwatch.schema.Operation;
import io.agentwatch.simulator.incident.IncidentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Fixed simulations the tests share, and small helpers to slice their events. No clock anywhere: fixed start times. */
final class Simulations {
    /** 2026-01-01T00:00:00Z. */
    static final long START = 1_767_225_600_000L;

    private Simulations() {
    }

    static SimulationConfig healthy(long seed) {
        return SimulationConfig.of(seed, 40, 200, Duration.ofMinutes(20), START);
    }

    static SimulationConfig allIncidents(long seed) {
        return SimulationConfig.of(seed, 40, 250, Duration.ofMinutes(20), START).withIncidents(IncidentSpec.parseList("all"));
    }

    static List<AgentEvent> events(SimulationConfig config) {
        List<AgentEvent> events = new ArrayList<>();
        new FleetSimulator(config).forEach(events::add);
        return events;
    }

    static Map<String, List<AgentEvent>> byAgent(List<AgentEvent> events) {
        return group(events, AgentEvent::getAgentId, e -> true);
    }

    static Map<String, List<AgentEvent>> bySession(List<AgentEvent> events) {
        return group(events, AgentEvent::getSessionId, e -> e.getSessionId() != null);
    }

    static Map<String, List<AgentEvent>> byTrace(List<AgentEvent> events) {
        return group(events, AgentEvent::getTraceId, e -> e.getTraceId() != null);
    }

    static <K extends Comparable<K>> Map<K, List<AgentEvent>> group(List<AgentEvent> events, java.util.function.Function<AgentEvent, K> key,
                                                                    Predicate<AgentEvent> filter) {
        Map<K, List<AgentEvent>> groups = new TreeMap<>();
        for (AgentEvent e : events) {
            if (filter.test(e)) {
                groups.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e);
            }
        }
        return groups;
    }

    static long ms(AgentEvent e) {
        return e.getTimestamp().toEpochMilli();
    }

    static boolean isRun(AgentEvent e) {
        return e.getOperation() == Operation.INVOKE_AGENT;
    }

    static boolean isError(AgentEvent e) {
        return e.getStatus() != io.agentwatch.schema.Status.OK;
    }

    static long tokens(AgentEvent e) {
        return (e.getInputTokens() == null ? 0 : e.getInputTokens()) + (e.getOutputTokens() == null ? 0 : e.getOutputTokens());
    }
}
