package io.agentwatch.simulator.truth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One injected incident as the ground truth records it: what was done, to which agent (session, trace), when,
 * and which alerts a correct detector raises for it. One JSON object per line in the ground-truth file; the
 * scorer and the demo read it back.
 *
 * @param incidentId           unique within the file, e.g. {@code error_burst-1}
 * @param kind                 the incident kind, e.g. {@code error_burst}
 * @param expectedAlertnames   alertnames any one of which detects the incident
 * @param agentId              the agent the incident targets (for a cascade: the root-cause agent)
 * @param sessionId            the session, for incidents that live in one session (else null; informative for others)
 * @param traceId              the trace, for incidents that live in one trace (else null)
 * @param rootCauseAgentId     for a cascade: the upstream agent that failed first
 * @param startMs              when the incident starts (epoch ms, event time)
 * @param endMs                when it ends (exclusive)
 * @param scope                what a matching alert's scope must name: the agent, the session, or the trace
 * @param involvedAgentIds     every agent the incident touches (three for a cascade)
 * @param sideEffectAlertnames alertnames the incident legitimately also causes on its agents (e.g. a release
 *                             that errors also lowers the success rate); such alerts are neither detections nor
 *                             false alarms
 * @param details              a few kind-specific facts (tool name, versions, factors), sorted by key
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"incident_id", "kind", "expected_alertnames", "agent_id", "session_id", "trace_id",
        "root_cause_agent_id", "start_ms", "end_ms", "scope", "involved_agent_ids", "side_effect_alertnames", "details"})
public record GroundTruth(
        @JsonProperty("incident_id") String incidentId,
        @JsonProperty("kind") String kind,
        @JsonProperty("expected_alertnames") List<String> expectedAlertnames,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("trace_id") String traceId,
        @JsonProperty("root_cause_agent_id") String rootCauseAgentId,
        @JsonProperty("start_ms") long startMs,
        @JsonProperty("end_ms") long endMs,
        @JsonProperty("scope") Scope scope,
        @JsonProperty("involved_agent_ids") List<String> involvedAgentIds,
        @JsonProperty("side_effect_alertnames") List<String> sideEffectAlertnames,
        @JsonProperty("details") Map<String, String> details) {

    @JsonCreator
    public GroundTruth {
        Objects.requireNonNull(incidentId, "incident_id");
        Objects.requireNonNull(kind, "kind");
        expectedAlertnames = expectedAlertnames == null ? List.of() : List.copyOf(expectedAlertnames);
        if (expectedAlertnames.isEmpty()) {
            throw new IllegalArgumentException("incident " + incidentId + " has no expected_alertnames");
        }
        Objects.requireNonNull(agentId, "agent_id");
        if (endMs < startMs) {
            throw new IllegalArgumentException("incident " + incidentId + " ends (" + endMs + ") before it starts (" + startMs + ")");
        }
        if (scope == null) {
            scope = "cascade".equals(kind) ? Scope.TRACE : sessionId != null ? Scope.SESSION : Scope.AGENT;
        }
        if (scope == Scope.SESSION && sessionId == null) {
            throw new IllegalArgumentException("incident " + incidentId + " has scope session but no session_id");
        }
        if (scope == Scope.TRACE && traceId == null && rootCauseAgentId == null) {
            throw new IllegalArgumentException("incident " + incidentId + " has scope trace but neither trace_id nor root_cause_agent_id");
        }
        involvedAgentIds = involvedAgentIds == null || involvedAgentIds.isEmpty() ? List.of(agentId) : List.copyOf(involvedAgentIds);
        sideEffectAlertnames = sideEffectAlertnames == null ? List.of() : List.copyOf(sideEffectAlertnames);
        details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /** Whether t lies in [start, end + tolerance]. */
    public boolean covers(long t, long toleranceMs) {
        return t >= startMs && t <= endMs + toleranceMs;
    }
}
