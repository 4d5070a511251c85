package dev.appointmentbridge.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) from the Maven Central jars on
 * the test classpath, run as a child JVM so a test can stop it (kill) and start it again on the same port and log
 * directory, as a broker restart does. No Docker.
 */
public final class KafkaBroker implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final Path config;
    private Process process;

    public KafkaBroker() throws Exception {
        port = freePort();
        int controller = freePort();
        dir = Files.createTempDirectory("kafka-broker");
        config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"), "num.partitions=3", "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
                "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1") + "\n");
        run(List.of("kafka.tools.StorageTool", "format", "-t", "q1Sh-9_ISia_zwGINzRvyQ", "-c", config.toString()))
                .waitFor(120, TimeUnit.SECONDS);
        start();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it accepts connections. */
    public synchronized void start() throws IOException {
        process = run(List.of("kafka.Kafka", config.toString()));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(this::listening);
    }

    /** Kills the broker (no clean shutdown) and waits until its port is closed. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !listening());
    }

    private boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process run(List<String> main) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(main);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/kafka-broker.log"))).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
