package io.agentwatch.gateway;

import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Settings;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ingest gateway until the process is stopped. Usage: {@code IngestGatewayMain [settings.properties]} (or
 * {@code AGENTWATCH_CONFIG_FILE});
 * settings also come from {@code AGENTWATCH_*} and {@code KAFKA_*} environment variables (module README).
 * SIGTERM drains in-flight requests before exiting.
 */
public final class IngestGatewayMain {
    private static final Logger log = LoggerFactory.getLogger(IngestGatewayMain.class);

    private IngestGatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = args.length > 0 ? Path.of(args[0]) : Settings.fileFromEnvironment();
        IngestGateway gateway;
        try {
            Settings settings = Settings.load(GatewaySettings.ALL, file);
            log.info("settings:\n{}", settings.describe());
            gateway = IngestGateway.start(settings);
        } catch (ConfigException e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
        gateway.awaitClosed();
    }
}
