package io.agentwatch.reliability.support;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The yardstick of a scenario: the same processor, same settings and same input, with a fresh application id, a
 * fresh state directory and its own alerts topic, run once to the end without any fault.
 */
public final class FaultFreeRun {
    private static final Logger log = LoggerFactory.getLogger(FaultFreeRun.class);

    /** What it wrote and how long it took. */
    public record Result(List<Alert> alerts, Duration elapsed) {
    }

    private FaultFreeRun() {
    }

    public static Result run(ProcessorFleet.Settings settings, Admin admin, SchemaRegistryClient registry, Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        try (ProcessorFleet fleet = new ProcessorFleet(settings)) {
            ProcessorInstance one = fleet.instance("fault-free").start();
            GroupProgress progress = new GroupProgress(admin, settings.applicationId(), settings.topics().events(), settings.topics().eventPartitions());
            progress.awaitDone(timeout, Duration.ofSeconds(5), one::isAlive, "fault-free run " + settings.applicationId());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            List<Alert> alerts = AlertLedger.readAll(settings.bootstrapServers(), registry, settings.alertsTopic());
            log.info("fault-free run {}: {} alerts in {} ms", settings.applicationId(), alerts.size(), elapsed.toMillis());
            one.stop();
            return new Result(alerts, elapsed);
        }
    }
}
