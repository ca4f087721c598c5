package io.agentwatch.reliability.support;

import io.agentwatch.embedded.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy in front of the schema registry that the test can turn off: the fault injector of the registry
 * outage scenario. {@link Mode#UP} forwards bytes both ways; {@link Mode#REFUSE} closes every new connection at
 * once (the client sees a reset or an empty answer); {@link Mode#HANG} accepts connections and never answers (the
 * client runs into its timeouts). Changing the mode cuts the connections already open, so a kept-alive HTTP
 * connection cannot outlive an outage.
 */
public final class RegistryOutageProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryOutageProxy.class);

    /** What the proxy does with connections. */
    public enum Mode { UP, REFUSE, HANG }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile Mode mode = Mode.UP;
    private volatile boolean closed;

    public RegistryOutageProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
        Thread acceptor = new Thread(this::accept, "registry-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The Confluent-compatible URL through the proxy. */
    public String confluentUrl() {
        return "http://" + Ports.HOST + ":" + port() + "/apis/ccompat/v7";
    }

    public long refusedConnections() {
        return refused.get();
    }

    public void mode(Mode next) {
        log.info("registry proxy on {}: {} -> {} (cutting {} open connections)", port(), mode, next, open.size());
        mode = next;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("registry proxy stopped accepting: {}", e.toString());
                }
                return;
            }
            switch (mode) {
                case REFUSE -> {
                    refused.incrementAndGet();
                    closeQuietly(client);
                }
                case HANG -> {
                    refused.incrementAndGet();
                    open.add(client);
                }
                case UP -> forward(client);
                default -> closeQuietly(client);
            }
        }
    }

    private void forward(Socket client) {
        try {
            Socket upstream = new Socket(Ports.HOST, targetPort);
            open.add(client);
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            log.warn("registry proxy cannot reach the registry on {}: {}", targetPort, e.toString());
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "registry-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(RegistryOutageProxy::closeQuietly);
    }
}
