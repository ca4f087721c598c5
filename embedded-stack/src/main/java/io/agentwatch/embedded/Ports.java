package io.agentwatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks and picks loopback TCP ports for the embedded services. Checking before starting turns "address already
 * in use" deep inside a server into a {@link PortInUseException} that names the port; picking a free port has an
 * unavoidable small race (the port is released before the server binds it), which is fine on a developer machine.
 */
public final class Ports {
    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** Returns {@code port} after checking that it can be bound on 127.0.0.1 now; 0 picks a free port instead. */
    public static int requireFree(int port, String service) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(service + " port must be 0..65535, was " + port);
        }
        if (port == 0) {
            return freePort();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw new PortInUseException(port, service, e);
        }
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }
}
