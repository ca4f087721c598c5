package io.agentwatch.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The sink's meters, all named {@code agentwatch_sink_*} in Prometheus. Meters are cached per tag set so that a
 * delivery costs a map lookup, not a registry search. Tags never carry a secret: receivers are named by their
 * name in the routes file, never by URL.
 */
public final class SinkMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An alert record read from the alert topic ({@code agentwatch_sink_alerts_received_total{status}}). */
    public void received(String status) {
        counter("agentwatch.sink.alerts.received", "Alert records read from the alert topic", "status", status).increment();
    }

    /** A receiver accepted an alert ({@code agentwatch_sink_deliveries_total{outcome="delivered"}}) and how long it took since it was read. */
    public void delivered(String receiver, String type, long latencyNanos) {
        counter("agentwatch.sink.deliveries", "Alerts handed to receivers, by outcome", "receiver", receiver, "type", type, "outcome", "delivered").increment();
        timers.computeIfAbsent("latency|" + receiver + "|" + type, k -> Timer.builder("agentwatch.sink.delivery.latency")
                .description("Time from reading an alert record to its acceptance by the receiver (includes retries and group waits)")
                .tags("receiver", receiver, "type", type)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)).record(Duration.ofNanos(latencyNanos));
    }

    /** A receiver refused an alert for good and it went to the dead-letter topic. */
    public void deadLettered(String receiver, String type, String reason) {
        counter("agentwatch.sink.deliveries", "Alerts handed to receivers, by outcome", "receiver", receiver, "type", type, "outcome", "dead_lettered").increment();
        counter("agentwatch.sink.dead.letters", "Alert records written to the dead-letter topic", "receiver", receiver, "reason", reason).increment();
    }

    /** A record that could not be decoded went to the dead-letter topic. */
    public void undecodable(String reason) {
        counter("agentwatch.sink.dead.letters", "Alert records written to the dead-letter topic", "receiver", "none", "reason", reason).increment();
    }

    /** A failed attempt that will be retried. */
    public void retry(String receiver, String reason) {
        counter("agentwatch.sink.delivery.retries", "Delivery attempts that failed and were retried", "receiver", receiver, "reason", reason).increment();
    }

    /** An alert not sent to a route: {@code inhibited} (its cascade root is firing) or {@code repeat} (inside repeat_interval). */
    public void suppressed(String reason) {
        counter("agentwatch.sink.alerts.suppressed", "Alerts not sent to a route because of inhibition or repeat_interval", "reason", reason).increment();
    }

    /** An Alertmanager refresh post of active alerts. */
    public void refresh(String receiver, String outcome) {
        counter("agentwatch.sink.alertmanager.refreshes", "Re-posts of active alerts to Alertmanager", "receiver", receiver, "outcome", outcome).increment();
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + "|" + String.join("|", tags);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
        }
        return c;
    }
}
