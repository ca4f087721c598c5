package io.agentwatch.sink;

import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Runs the alert sink as a process: {@code java io.agentwatch.sink.AlertSinkMain [settings.properties]}. */
public final class AlertSinkMain {
    private AlertSinkMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AlertSink sink;
        try {
            Settings settings = AlertSink.settings(args.length > 0 ? Path.of(args[0]) : null, System.getenv(), Map.of());
            sink = new AlertSink(settings).start();
        } catch (ConfigException e) {
            System.err.println("alert-sink: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            stopped.countDown();
        }, "sink-shutdown"));
        stopped.await();
    }
}
