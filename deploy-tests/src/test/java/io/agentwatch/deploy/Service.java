package io.agentwatch.deploy;

import io.agentwatch.gateway.GatewaySettings;
import io.agentwatch.processor.ProcessorSettings;
import io.agentwatch.service.Setting;
import io.agentwatch.sink.SinkSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An agentwatch service as the deploy files see it: its container/compose name (= docker/ folder = Maven
 * module), its main class and its declared settings, whose environment names and defaults are the truth that
 * manifests must agree with.
 */
enum Service {
    STREAM_PROCESSOR("stream-processor", "io.agentwatch.processor.ProcessorMain", ProcessorSettings.all()),
    ALERT_SINK("alert-sink", "io.agentwatch.sink.AlertSinkMain", SinkSettings.ALL),
    INGEST_GATEWAY("ingest-gateway", "io.agentwatch.gateway.IngestGatewayMain", GatewaySettings.ALL);

    final String id;
    final String mainClass;
    final Map<String, Setting> byEnv;
    final List<Setting> settings;

    Service(String id, String mainClass, List<Setting> settings) {
        this.id = id;
        this.mainClass = mainClass;
        this.settings = settings;
        this.byEnv = settings.stream().collect(Collectors.toMap(Setting::envName, s -> s));
    }

    static Optional<Service> byId(String id) {
        for (Service s : values()) {
            if (s.id.equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    Dockerfile dockerfile() {
        return Dockerfile.read(Repo.path("docker/" + id + "/Dockerfile"));
    }

    /** The effective value of a setting: the environment given, else the image's ENV, else the declared default. */
    String effective(Map<String, String> env, String key) {
        Setting s = byEnv.values().stream().filter(x -> x.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id + " declares no setting " + key));
        if (env.containsKey(s.envName())) {
            return env.get(s.envName());
        }
        Map<String, String> image = dockerfile().env();
        if (image.containsKey(s.envName())) {
            return image.get(s.envName());
        }
        return s.defaultValue();
    }

    /** AGENTWATCH_* names in the environment that no setting of this service declares (typos are silently ignored by the service). */
    List<String> unknownSettings(Map<String, String> env) {
        return env.keySet().stream()
                .filter(k -> k.startsWith(Setting.ENV_PREFIX))
                .filter(k -> !byEnv.containsKey(k) && !(k.endsWith("_FILE") && byEnv.containsKey(k.substring(0, k.length() - 5))))
                .sorted().toList();
    }
}
