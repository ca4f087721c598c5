package io.agentwatch.service;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's effective configuration, immutable once loaded. Sources, strongest first: environment variables
 * ({@code AGENTWATCH_*} for the declared settings, {@code KAFKA_*} passed through as Kafka properties), then a
 * Java properties file (declared keys, and {@code kafka.*} keys passed through without the prefix), then the
 * declared defaults.
 *
 * <p>Loading fails fast with a {@link ConfigException} naming the setting: a key in the file that no setting
 * declares (a typo), a required setting without a value, a secret file that cannot be read. Typed getters fail the
 * same way for a value of the wrong form. {@link #describe()} and {@link #toString()} mask every secret and every
 * Kafka property that carries a credential.
 */
public final class Settings {
    private static final Logger log = LoggerFactory.getLogger(Settings.class);
    /** AGENTWATCH_* variables that are not settings of a service. */
    private static final Set<String> GENERAL_VARIABLES = Set.of("AGENTWATCH_CONFIG_FILE", "AGENTWATCH_HOME");
    /** Environment variables that Kafka's own scripts use; they are not client properties. */
    private static final Set<String> KAFKA_SCRIPT_VARS = Set.of(
            "KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_LOG_DIR", "KAFKA_HOME", "KAFKA_VERSION", "KAFKA_CLUSTER_ID");
    private static final String KAFKA_FILE_PREFIX = "kafka.";

    private final Map<String, Setting> declared;
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final Map<String, String> kafka;

    private Settings(Map<String, Setting> declared, Map<String, String> values, Map<String, String> origins, Map<String, String> kafka) {
        this.declared = declared;
        this.values = values;
        this.origins = origins;
        this.kafka = kafka;
    }

    /**
     * Loads the declared settings.
     *
     * @param settings  every setting the service knows
     * @param file      a properties file, or null
     * @param env       the environment (System.getenv() in production; a map in tests)
     * @param overrides values that win over everything (command-line options), by key
     */
    public static Settings load(Collection<Setting> settings, Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Setting> declared = new LinkedHashMap<>();
        for (Setting s : settings) {
            if (declared.put(s.key(), s) != null) {
                throw new IllegalArgumentException("setting declared twice: " + s.key());
            }
        }
        Map<String, String> fromFile = file == null ? Map.of() : readFile(file);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        Map<String, String> kafka = new TreeMap<>();
        List<String> unknown = new ArrayList<>();

        for (Map.Entry<String, String> e : fromFile.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(KAFKA_FILE_PREFIX)) {
                kafka.put(key.substring(KAFKA_FILE_PREFIX.length()), e.getValue());
            } else if (!declared.containsKey(key) && !isFileReference(key, declared)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting(s) " + unknown + " in " + file + "; known settings: " + declared.keySet()
                    + " and kafka.* for Kafka client properties");
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("KAFKA_") && !KAFKA_SCRIPT_VARS.contains(name)) {
                kafka.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
            }
        }

        for (Setting s : declared.values()) {
            String value = null;
            String origin = null;
            if (overrides.containsKey(s.key())) {
                value = overrides.get(s.key());
                origin = "command line";
            } else if (env.containsKey(s.envName())) {
                value = env.get(s.envName());
                origin = "env " + s.envName();
            } else if (env.containsKey(s.envName() + "_FILE")) {
                value = readSecretFile(s, Path.of(env.get(s.envName() + "_FILE")));
                origin = "file named by env " + s.envName() + "_FILE";
            } else if (fromFile.containsKey(s.key())) {
                value = fromFile.get(s.key());
                origin = "file " + file;
            } else if (fromFile.containsKey(s.key() + ".file")) {
                value = readSecretFile(s, Path.of(fromFile.get(s.key() + ".file")));
                origin = "file named by " + s.key() + ".file";
            } else if (s.defaultValue() != null) {
                value = s.defaultValue();
                origin = "default";
            }
            if (value != null) {
                values.put(s.key(), value.trim());
                origins.put(s.key(), origin);
            } else if (s.required()) {
                throw new ConfigException("missing required setting " + s.display() + ": " + s.description());
            }
        }
        warnAboutUnknownVariables(declared, env);
        return new Settings(Map.copyOf(declared), values, origins, kafka);
    }

    /** A misspelled AGENTWATCH_* variable would otherwise be ignored without a word (it may belong to another service). */
    private static void warnAboutUnknownVariables(Map<String, Setting> declared, Map<String, String> env) {
        Set<String> known = new java.util.HashSet<>(GENERAL_VARIABLES);
        for (Setting s : declared.values()) {
            known.add(s.envName());
            known.add(s.envName() + "_FILE");
        }
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (name.startsWith(Setting.ENV_PREFIX) && !known.contains(name)) {
                log.warn("the environment variable {} is not a setting of this service and is ignored (a typo?)", name);
            }
        }
    }

    /** The settings file named by {@code AGENTWATCH_CONFIG_FILE}, or null. */
    public static Path fileFromEnvironment() {
        String file = System.getenv("AGENTWATCH_CONFIG_FILE");
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    /** Loads from the process environment and an optional file. */
    public static Settings load(Collection<Setting> settings, Path file) {
        return load(settings, file, System.getenv(), Map.of());
    }

    private static boolean isFileReference(String key, Map<String, Setting> declared) {
        return key.endsWith(".file") && declared.containsKey(key.substring(0, key.length() - ".file".length()));
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("settings file " + file + " does not exist or is not a file");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    private static String readSecretFile(Setting s, Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read the file " + path + " for setting " + s.display() + ": " + e.getClass().getSimpleName());
        }
    }

    private Setting declared(String key) {
        Setting s = declared.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no setting '" + key + "' is declared");
        }
        return s;
    }

    /** The value, if any. */
    public Optional<String> optional(String key) {
        declared(key);
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** The value; a ConfigException when there is none. */
    public String string(String key) {
        return optional(key).orElseThrow(() -> new ConfigException("missing setting " + declared(key).display() + ": " + declared(key).description()));
    }

    public int integer(String key, int min, int max) {
        String v = string(key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw invalid(key, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number");
        }
    }

    public long longValue(String key, long min, long max) {
        String v = string(key);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw invalid(key, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number");
        }
    }

    public double decimal(String key, double min, double max) {
        String v = string(key);
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw invalid(key, "must be between " + min + " and " + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a number");
        }
    }

    public boolean bool(String key) {
        String v = string(key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, "must be true or false");
        };
    }

    public Duration duration(String key) {
        try {
            return Durations.parse(string(key));
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
    }

    /** A size in bytes: 512, 64KB, 256MB, 2GB. */
    public long bytes(String key) {
        try {
            return ByteSizes.parse(string(key));
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
    }

    public Path path(String key) {
        return Path.of(string(key));
    }

    public Optional<Path> optionalPath(String key) {
        return optional(key).map(Path::of);
    }

    /** A comma-separated list, trimmed, without empty items. */
    public List<String> list(String key) {
        List<String> items = new ArrayList<>();
        optional(key).ifPresent(v -> {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
        });
        return items;
    }

    /** One of the given choices, case-insensitive, returned upper-cased. */
    public String choice(String key, Set<String> choices) {
        String v = string(key).toUpperCase(Locale.ROOT);
        if (!choices.contains(v)) {
            throw invalid(key, "must be one of " + choices.stream().sorted().toList());
        }
        return v;
    }

    /** The Kafka client properties: {@code kafka.*} from the file, then {@code KAFKA_*} from the environment. */
    public Map<String, Object> kafka() {
        return new LinkedHashMap<>(kafka);
    }

    /** A ConfigException that names the setting, its environment variable and where the value came from (never the value of a secret). */
    public ConfigException invalid(String key, String problem) {
        Setting s = declared(key);
        String shown = s.secret() ? "[hidden]" : "'" + values.get(key) + "'";
        return new ConfigException("setting " + s.display() + " " + problem + ", was " + shown + " (from " + origins.get(key) + ")");
    }

    /** Every effective setting, one per line, with its origin; secrets and Kafka credentials masked. For the start-up log. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Setting s : declared.values()) {
            if (!values.containsKey(s.key())) {
                continue;
            }
            out.append("  ").append(s.key()).append(" = ")
                    .append(s.secret() ? "[hidden]" : values.get(s.key()))
                    .append("  (").append(origins.get(s.key())).append(")\n");
        }
        for (Map.Entry<String, String> e : kafka.entrySet()) {
            out.append("  kafka: ").append(e.getKey()).append(" = ")
                    .append(isSensitiveKafkaKey(e.getKey()) ? "[hidden]" : e.getValue()).append('\n');
        }
        return out.toString();
    }

    /** True for Kafka and registry properties that carry credentials. */
    public static boolean isSensitiveKafkaKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.contains("user.info") || k.endsWith(".key") || k.contains("credentials") || k.contains("private");
    }

    @Override
    public String toString() {
        return "Settings{\n" + describe() + "}";
    }
}
