package dev.appointmentbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy to the local PostgreSQL that can make one connection half-open: after {@link #freezeListeners()},
 * the connections whose client sent a {@code LISTEN} stop forwarding in both directions while their sockets stay
 * open, as when a NAT or firewall silently drops a long-idle connection. Everything else keeps flowing.
 */
public final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean listener;
        volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    public FreezingProxy(int upstreamPort) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    Link link = new Link(client, upstream);
                    links.add(link);
                    pump(link, client.getInputStream(), upstream.getOutputStream(), true);
                    pump(link, upstream.getInputStream(), client.getOutputStream(), false);
                } catch (IOException e) {
                    return;
                }
            }
        }, "freezing-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void freezeListeners() {
        links.stream().filter(l -> l.listener).forEach(l -> l.frozen = true);
    }

    private static void pump(Link link, InputStream in, OutputStream out, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (fromClient && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("LISTEN ")) {
                        link.listener = true;
                    }
                    while (link.frozen) { // half-open: nothing passes, nothing closes
                        Thread.sleep(50);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed
            } finally {
                if (!link.frozen) {
                    close(link.client);
                    close(link.upstream);
                }
            }
        }, "freezing-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        close(new Socket());
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        links.forEach(l -> {
            close(l.client);
            close(l.upstream);
        });
    }
}
