package io.agentwatch.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processor's own meters, created once and cached: processors count in plain fields on the hot path and add
 * their counts here on their evaluation tick, so no event pays for a meter lookup.
 */
public final class ProcessorMetrics {
    private final MeterRegistry registry;
    private final Counter eventsProcessed;
    private final Counter eventsRekeyed;
    private final Counter lateEvents;
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
    private final Map<String, Counter> overridesRejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> expired = new ConcurrentHashMap<>();
    private final Map<String, Counter> controlCommands = new ConcurrentHashMap<>();

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.eventsProcessed = Counter.builder("agentwatch.events.processed")
                .description("Valid events processed by the detectors").register(registry);
        this.eventsRekeyed = Counter.builder("agentwatch.events.rekeyed")
                .description("Events that arrived on the wrong partition or with the wrong key and were re-keyed by agent_id").register(registry);
        this.lateEvents = Counter.builder("agentwatch.events.late")
                .description("Events older than the grace period: counted in per-event detectors, not in window statistics").register(registry);
    }

    /** Meters that go nowhere, for tests and offline tools. */
    public static ProcessorMetrics noop() {
        return new ProcessorMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void eventsProcessed(long n) {
        if (n > 0) {
            eventsProcessed.increment(n);
        }
    }

    public void eventsRekeyed(long n) {
        if (n > 0) {
            eventsRekeyed.increment(n);
        }
    }

    public void lateEvents(long n) {
        if (n > 0) {
            lateEvents.increment(n);
        }
    }

    public void deadLettered(String reason) {
        deadLettered.computeIfAbsent(reason, r -> Counter.builder("agentwatch.events.dead.lettered")
                .description("Records sent to the events dead-letter topic, by reason").tag("reason", r).register(registry)).increment();
    }

    public void alert(String alertname, String severity, String status) {
        String key = alertname + '|' + severity + '|' + status;
        alerts.computeIfAbsent(key, k -> Counter.builder("agentwatch.alerts.emitted")
                .description("Alert records written, by alertname, severity and status")
                .tag("alertname", alertname).tag("severity", severity.toLowerCase(Locale.ROOT)).tag("status", status.toLowerCase(Locale.ROOT))
                .register(registry)).increment();
    }

    /** Entries a detector expired from its store (idle sessions and traces, forgotten agents), by store; on ticks. */
    public void stateExpired(String store, long n) {
        if (n > 0) {
            expired.computeIfAbsent(store, st -> Counter.builder("agentwatch.state.expired")
                    .description("Idle entries expired from the detectors' stores (sessions, traces, forgotten agents), by store")
                    .tag("store", st).register(registry)).increment(n);
        }
    }

    public void controlCommand(String action) {
        controlCommands.computeIfAbsent(action, a -> Counter.builder("agentwatch.control.commands")
                .description("ControlCommands written to the control topic, by action").tag("action", a.toLowerCase(Locale.ROOT))
                .register(registry)).increment();
    }

    public void overrideRejected(String ruleId) {
        overridesRejected.computeIfAbsent(ruleId, r -> Counter.builder("agentwatch.rule.overrides.rejected")
                .description("Rule overrides from agent.rules that were invalid and ignored, by rule").tag("rule_id", r).register(registry)).increment();
    }
}
