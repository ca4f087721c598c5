package io.agentwatch.processor;

import io.agentwatch.service.ConfigException;
import io.agentwatch.service.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java io.agentwatch.processor.ProcessorMain [settings.properties]}: the processor as a container runs it.
 * Settings come from the environment and the optional file; SIGTERM closes it cleanly; exit code 1 when it failed,
 * 2 when a setting is wrong.
 */
public final class ProcessorMain {
    private static final Logger log = LoggerFactory.getLogger(ProcessorMain.class);

    private ProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = args.length > 0 ? Path.of(args[0]) : Settings.fileFromEnvironment();
        System.exit(run(file, Map.of()));
    }

    /** Runs until stopped; the exit code. Used by the `agentwatch processor` command too. */
    public static int run(Path settingsFile, Map<String, String> overrides) throws InterruptedException {
        ProcessorApp app;
        try {
            Settings settings = Settings.load(ProcessorSettings.all(), settingsFile, System.getenv(), overrides);
            log.info("settings:\n{}", settings.describe());
            app = ProcessorApp.start(ProcessorConfig.from(settings));
        } catch (ConfigException e) {
            log.error("cannot start: {}", e.getMessage());
            return 2;
        }
        Thread hook = new Thread(app::close, "processor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean failed = app.awaitStop();
        if (failed) {
            app.close();
            log.error("the processor failed; exiting with status 1 so that it is restarted");
            return 1;
        }
        return 0;
    }
}
