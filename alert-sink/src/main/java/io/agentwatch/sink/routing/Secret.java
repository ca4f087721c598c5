package io.agentwatch.sink.routing;

import java.util.Objects;

/**
 * A credential (routing key, webhook URL with its token) read from an environment variable or a file. Its
 * {@link #toString()} names only where it came from, so that a secret printed by mistake shows nothing.
 *
 * @param value  the secret itself; read it only to put it on the wire
 * @param origin where it came from, e.g. {@code env PD_ROUTING_KEY}; safe to show
 */
public record Secret(String value, String origin) {
    public Secret {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }

    @Override
    public String toString() {
        return "[hidden, from " + origin + "]";
    }
}
