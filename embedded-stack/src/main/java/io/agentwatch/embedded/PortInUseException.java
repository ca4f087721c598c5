package io.agentwatch.embedded;

/**
 * A TCP port that one of the embedded services needs is already taken on 127.0.0.1. It names the port and the
 * service, so that a command line can tell the user which option to change.
 */
public final class PortInUseException extends IllegalStateException {
    private final int port;
    private final String service;

    public PortInUseException(int port, String service, Throwable cause) {
        super("port " + port + " on 127.0.0.1 (" + service + ") is already in use", cause);
        this.port = port;
        this.service = service;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }

    /** Which service wanted it, e.g. "Kafka broker" or "schema registry". */
    public String service() {
        return service;
    }
}
