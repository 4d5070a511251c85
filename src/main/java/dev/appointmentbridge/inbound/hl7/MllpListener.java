package dev.appointmentbridge.inbound.hl7;

import dev.appointmentbridge.common.Hl7Acks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.appointmentbridge.config.InboundConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code bridge.inbound.mllp.port}: the MLLP (Minimal Lower Layer Protocol) listener. Each message is framed
 * {@code 0x0B <ER7> 0x1C 0x0D}; a connection's messages are taken one at a time, each answered with its
 * acknowledgement only once stored. Nothing a sender does blocks the listener: bytes outside a frame are dropped, a
 * frame larger than {@code bridge.inbound.hl7v2.max-message-bytes} is refused (AR) and the connection closed, a frame
 * not finished within {@code idle-timeout} closes it, and so does silence for that long; at most
 * {@code max-connections} at once, from the allowed addresses only.
 */
@ApplicationScoped
public class MllpListener {

    private static final Logger LOG = Logger.getLogger(MllpListener.class);

    @Inject
    Vertx vertx;

    @Inject
    InboundConfig config;

    @Inject
    Hl7v2Intake intake;

    @Inject
    TlsConfigurationRegistry tls;

    private NetServer server;
    private AllowedPeers peers;
    private final AtomicInteger connections = new AtomicInteger();

    void start(@Observes StartupEvent ignored) throws Exception {
        if (config.mllp().port().isEmpty()) {
            return;
        }
        InboundConfig.Mllp mllp = config.mllp();
        peers = AllowedPeers.of(mllp.allowedAddresses().orElse(List.of()));
        NetServerOptions options = new NetServerOptions().setHost(mllp.host()).setPort(mllp.port().get())
                .setIdleTimeout((int) Math.max(1, mllp.idleTimeout().toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (mllp.tlsConfigurationName().isPresent()) {
            String name = mllp.tlsConfigurationName().get();
            TlsConfiguration tlsConfig = tls.get(name).orElseThrow(() -> new IllegalArgumentException(
                    "bridge.inbound.mllp.tls-configuration-name: no TLS configuration " + name
                            + " (quarkus.tls." + name + ".key-store...)"));
            if (tlsConfig.getKeyStoreOptions() == null) {
                throw new IllegalArgumentException("bridge.inbound.mllp.tls-configuration-name: quarkus.tls." + name
                        + " has no key store: a TLS listener needs its certificate and key");
            }
            options.setSsl(true).setKeyCertOptions(tlsConfig.getKeyStoreOptions());
            io.vertx.core.net.SSLOptions ssl = tlsConfig.getSSLOptions(); // quarkus.tls.<name>.protocols, cipher-suites
            if (ssl != null) {
                options.setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
                        .setSslHandshakeTimeout(ssl.getSslHandshakeTimeout())
                        .setSslHandshakeTimeoutUnit(ssl.getSslHandshakeTimeoutUnit());
                ssl.getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
            }
            if (tlsConfig.getTrustStoreOptions() != null) { // a trust store: senders must present a certificate
                options.setTrustOptions(tlsConfig.getTrustStoreOptions())
                        .setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED);
            }
        }
        server = vertx.createNetServer(options);
        server.connectHandler(this::connected);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("MLLP listener on %s:%d (HL7 v2 SIU%s), accepting %s", mllp.host(), server.actualPort(),
                mllp.tlsConfigurationName().map(n -> " over TLS " + n).orElse(""),
                mllp.allowedAddresses().map(List::toString).orElse("loopback only"));
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (server != null) {
            server.close();
        }
    }

    /** The port listened on (tests ask for port 0). */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    private boolean allowed(String address) {
        if (address == null || address.isEmpty()) { // getByName would read "" as loopback
            return false;
        }
        try {
            return peers.allows(java.net.InetAddress.getByName(address)); // a literal from the socket: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private void connected(NetSocket socket) {
        String peer = socket.remoteAddress().hostAddress();
        if (!allowed(peer)) {
            LOG.warnf("MLLP connection from %s closed: not in bridge.inbound.mllp.allowed-addresses", peer);
            socket.close();
            return;
        }
        if (connections.incrementAndGet() > config.mllp().maxConnections()) {
            connections.decrementAndGet();
            LOG.warnf("MLLP connection from %s closed: bridge.inbound.mllp.max-connections (%d) reached", peer,
                    config.mllp().maxConnections());
            socket.close();
            return;
        }
        socket.closeHandler(v -> connections.decrementAndGet());
        new Connection(socket).listen();
    }

    /** One sender's connection: its bytes, the frame being read, and whether a message is being stored. */
    private final class Connection {
        private final NetSocket socket;
        private final MllpFrames frames = new MllpFrames();
        private boolean busy;
        private long frameTimer = -1;

        Connection(NetSocket socket) {
            this.socket = socket;
        }

        void listen() {
            socket.handler(chunk -> {
                frames.append(chunk);
                drain();
            });
        }

        /** Takes the next complete frame, if any, while no message of this connection is being stored. */
        private void drain() {
            if (busy) {
                return;
            }
            byte[] frame = frames.next();
            int max = config.hl7v2().maxMessageBytes();
            if (frame == null) {
                if (frames.unfinished() > max + 2) {
                    refuse(Hl7Acks.raw(frames.unfinishedHead(4096), "AE",
                            "message larger than bridge.inbound.hl7v2.max-message-bytes (" + max + ")"));
                } else if (frames.unfinished() > 0 && frameTimer < 0) {
                    long deadline = Math.max(1000, config.mllp().idleTimeout().toMillis());
                    frameTimer = vertx.setTimer(deadline, id -> {
                        LOG.infof("MLLP connection closed: a message was not finished within %d ms", deadline);
                        socket.close();
                    });
                }
                return;
            }
            cancelTimer();
            busy = true;
            socket.pause();
            vertx.<java.util.concurrent.CompletionStage<Hl7v2Intake.Ack>>executeBlocking(() -> intake.receive(
                    Er7Text.decode(frame)), false)
                    .compose(Future::fromCompletionStage)
                    .onComplete(done -> {
                        String ack = done.succeeded() ? done.result().er7()
                                : Hl7Acks.raw(new String(frame, StandardCharsets.ISO_8859_1), "AR",
                                        "not stored, send it again");
                        socket.write(Buffer.buffer().appendByte(MllpFrames.START).appendString(ack, "ISO-8859-1")
                                .appendByte(MllpFrames.END).appendByte(MllpFrames.CR));
                        busy = false;
                        socket.resume();
                        drain();
                    });
        }

        private void refuse(String ack) {
            cancelTimer();
            socket.pause();
            socket.write(Buffer.buffer().appendByte(MllpFrames.START).appendString(ack, "ISO-8859-1")
                    .appendByte(MllpFrames.END).appendByte(MllpFrames.CR)).onComplete(v -> socket.close());
            frames.clear();
            busy = true; // nothing more is read from this connection
        }

        private void cancelTimer() {
            if (frameTimer >= 0) {
                vertx.cancelTimer(frameTimer);
                frameTimer = -1;
            }
        }

    }
}
