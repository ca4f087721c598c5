package io.agentwatch.service;

/** A setting is missing or wrong. The message names the setting (and its environment variable) so start-up can stop with it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
