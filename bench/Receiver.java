// Webhook receiver for the delivery scripts, run as a single-file program on Vert.x (taken from the
// packaged service's own libraries, so nothing is downloaded):
//   java -cp 'target/quarkus-app/lib/main/*' bench/Receiver.java <port> <delay-ms> <log-file>
// Answers every POST with 200 after <delay-ms>; on arrival appends "webhook-id <tab> body-sha256 <tab>
// receipt-epoch-ms <tab> answer" per request to <log-file> (flushed every 100 ms). POST /control/ok,
// /control/500 and /control/hang switch what later requests get (hang: never answered). Loopback only.
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedWriter;
import java.io.FileWriter;
import java.security.MessageDigest;
import java.util.HexFormat;

public class Receiver {
    static volatile String mode = "ok";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long delay = Long.parseLong(args[1]);
        BufferedWriter log = new BufferedWriter(new FileWriter(args[2], true), 1 << 16);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        vertx.setPeriodic(100, t -> { synchronized (log) { try { log.flush(); } catch (Exception e) { } } });
        vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (req.path().startsWith("/control/")) {
                mode = req.path().substring("/control/".length());
                req.response().end(mode);
                return;
            }
            String answer = mode;
            long now = System.currentTimeMillis();
            String id = req.getHeader("webhook-id");
            try {
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
                synchronized (log) { log.write(id + "\t" + hash + "\t" + now + "\t" + answer + "\n"); }
            } catch (Exception e) {
                req.response().setStatusCode(500).end();
                return;
            }
            if (answer.equals("hang")) {
                return; // the bridge's request timeout ends it
            }
            if (answer.equals("500")) {
                req.response().setStatusCode(500).end("failing on purpose");
                return;
            }
            if (delay > 0) { // logged on arrival: a request the bridge gave up on still reached us
                vertx.setTimer(delay, t -> req.response().end("ok"));
            } else {
                req.response().end("ok");
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        System.out.println("receiver on 127.0.0.1:" + port);
    }
}
