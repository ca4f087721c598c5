package io.agentwatch.service;

import java.util.Locale;
import java.util.Objects;

/**
 * One named application setting: its key in a settings file ({@code http.port}), its environment variable
 * ({@code AGENTWATCH_HTTP_PORT}), its default, and whether it is a secret (never shown in logs or errors).
 *
 * @param key          dotted lower-case name, e.g. {@code events.topic}
 * @param defaultValue the value when neither the environment nor the file sets it; null for none
 * @param description  one line for {@code --help} and the docs
 * @param secret       true for credentials and URLs that embed them; the value may also come from a file named by
 *                     {@code <key>.file} / {@code AGENTWATCH_<KEY>_FILE}
 * @param required     start-up fails when a required setting has no value
 */
public record Setting(String key, String defaultValue, String description, boolean secret, boolean required) {
    public static final String ENV_PREFIX = "AGENTWATCH_";

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        if (!key.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("setting keys are dotted lower-case words, got '" + key + "'");
        }
    }

    public static Setting of(String key, String defaultValue, String description) {
        return new Setting(key, defaultValue, description, false, false);
    }

    public static Setting required(String key, String description) {
        return new Setting(key, null, description, false, true);
    }

    public static Setting secret(String key, String description) {
        return new Setting(key, null, description, true, false);
    }

    /** The environment variable that sets it: {@code AGENTWATCH_} + the key upper-cased, dots and hyphens as underscores. */
    public String envName() {
        return envName(key);
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** How an error message names it: the key and its environment variable. */
    public String display() {
        return "'" + key + "' (" + envName() + ")";
    }
}
