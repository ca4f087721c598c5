package io.agentwatch.gateway.cli;

import io.agentwatch.gateway.GatewayConfig;
import io.agentwatch.gateway.GatewaySettings;
import io.agentwatch.gateway.IngestGateway;
import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwatch gateway}: runs the ingest gateway in the foreground until interrupted. Options override the
 * settings file and the environment; every other setting is read as {@link GatewaySettings} describes.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {
            "Accepts OpenTelemetry GenAI spans (OTLP/HTTP, POST /v1/traces) and JSON events (POST /v1/events)",
            "and publishes them as AgentEvents to Kafka.",
            "Settings: AGENTWATCH_<KEY> environment variables, KAFKA_* for the producer, or a settings file."})
public final class GatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "settings file (Java properties; kafka.* keys go to the producer; also AGENTWATCH_CONFIG_FILE)")
    Path config;

    @Option(names = "--host", description = "address to bind (default 127.0.0.1; 0.0.0.0 for every interface)")
    String host;

    @Option(names = {"-p", "--port"}, description = "HTTP port (default 4318, the OTLP/HTTP port)")
    Integer port;

    @Option(names = {"-b", "--bootstrap", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, e.g. localhost:9092 for the local stack (or bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = {"-r", "--registry", "--registry-url"}, paramLabel = "URL",
            description = "Confluent-compatible schema registry URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7 for the local stack")
    String registryUrl;

    @Option(names = {"-t", "--topic"}, description = "events topic (default agent.events)")
    String topic;

    @Option(names = "--price-table", paramLabel = "FILE", description = "JSON price table for events without agentwatch.cost_usd")
    Path priceTable;

    @Option(names = "--tokens-file", paramLabel = "FILE", description = "per-tenant bearer tokens, one '<token> <tenant>' per line")
    Path tokensFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other setting, e.g. --set publish.timeout=5s")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> overrides = new LinkedHashMap<>(extra);
        put(overrides, GatewaySettings.HTTP_HOST, host);
        put(overrides, GatewaySettings.HTTP_PORT, port == null ? null : port.toString());
        put(overrides, GatewaySettings.REGISTRY_URL, registryUrl);
        put(overrides, GatewaySettings.EVENTS_TOPIC, topic);
        put(overrides, GatewaySettings.PRICE_TABLE_FILE, priceTable == null ? null : priceTable.toString());
        put(overrides, GatewaySettings.AUTH_TOKENS_FILE, tokensFile == null ? null : tokensFile.toString());
        put(overrides, GatewaySettings.BOOTSTRAP, bootstrapServers);
        IngestGateway gateway;
        try {
            Settings settings = Settings.load(GatewaySettings.ALL, config != null ? config : Settings.fileFromEnvironment(),
                    System.getenv(), overrides);
            gateway = IngestGateway.start(GatewayConfig.from(settings, Map.of()));
        } catch (ConfigException e) {
            err.println("cannot start the gateway: " + e.getMessage());
            err.flush();
            return 2;
        }
        Thread hook = new Thread(gateway::close, "gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("gateway listening on " + gateway.baseUrl() + " (POST /v1/traces, POST /v1/events; Ctrl-C to stop)");
        out.flush();
        try {
            gateway.awaitClosed();
        } catch (InterruptedException e) {
            gateway.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void put(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }
}
