package io.agentwatch.sink.cli;

import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Setting;
import io.agentwatch.sink.AlertSink;
import io.agentwatch.sink.SinkSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentwatch sink}: runs the alert sink until interrupted. Options override the environment
 * ({@code AGENTWATCH_*}, {@code KAFKA_*}) and the settings file; {@code --settings} lists every setting.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Deliver alerts from the alert topic to Alertmanager, PagerDuty, Slack and webhooks, and serve the alert page.")
public final class SinkCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "settings file (Java properties: the keys listed by --settings, kafka.* for Kafka clients)")
    Path config;

    @Option(names = {"-r", "--routes"}, description = "routes file (YAML); default: the built-in one, which logs every alert")
    Path routes;

    @Option(names = {"--bootstrap", "--bootstrap-servers"}, description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = {"--registry", "--schema-registry-url"}, description = "schema registry base URL (Confluent-compatible)")
    String registry;

    @Option(names = "--http-host", description = "address of the page and operations endpoints")
    String host;

    @Option(names = "--http-port", description = "port of the page and operations endpoints")
    Integer port;

    @Option(names = "--settings", description = "list every setting with its environment variable and default, then exit")
    boolean listSettings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (listSettings) {
            for (Setting s : SinkSettings.ALL) {
                spec.commandLine().getOut().printf("%-22s %-36s %-24s %s%n", s.key(), s.envName(),
                        s.defaultValue() == null ? "" : s.defaultValue(), s.description());
            }
            return 0;
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (routes != null) {
            overrides.put(SinkSettings.ROUTES_FILE, routes.toString());
        }
        if (bootstrap != null) {
            overrides.put(SinkSettings.BOOTSTRAP, bootstrap);
        }
        if (registry != null) {
            overrides.put(SinkSettings.REGISTRY_URL, registry);
        }
        if (host != null) {
            overrides.put(SinkSettings.HTTP_HOST, host);
        }
        if (port != null) {
            overrides.put(SinkSettings.HTTP_PORT, port.toString());
        }
        AlertSink sink;
        try {
            sink = new AlertSink(AlertSink.settings(config, System.getenv(), overrides)).start();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("agentwatch sink: " + e.getMessage());
            return 2;
        }
        spec.commandLine().getOut().println("alert sink running; page at " + sink.baseUrl() + "/ (Ctrl-C stops it)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            stopped.countDown();
        }, "sink-shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SinkCommand()).execute(args));
    }
}
