// A scheduling API stub for bench/scale.sh, run as a single-file program on Vert.x (the packaged service's own
// libraries): GET /s/<n>?since=… answers source n's two appointments, always the same, so each poll is one request
// and a diff that finds nothing new (the steady state of a fleet of quiet sources). Counts requests; loopback only.
//   java -cp 'target/quarkus-app/lib/main/*' bench/JsonStub.java <port>
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.atomic.AtomicLong;

public class JsonStub {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AtomicLong requests = new AtomicLong();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/stats")) {
                req.response().end("{\"requests\":" + requests.get() + "}");
                return;
            }
            requests.incrementAndGet();
            String n = req.path().substring(req.path().lastIndexOf('/') + 1);
            req.response().putHeader("Content-Type", "application/json").end("{\"items\":["
                    + "{\"id\":\"s" + n + "-1\",\"status\":\"booked\",\"start\":\"2030-01-01T09:00:00Z\","
                    + "\"updated\":\"2026-01-01T00:00:00Z\"},"
                    + "{\"id\":\"s" + n + "-2\",\"status\":\"booked\",\"start\":\"2030-01-01T10:00:00Z\","
                    + "\"updated\":\"2026-01-01T00:00:00Z\"}]}");
        }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        System.out.println("JSON stub on 127.0.0.1:" + port);
    }
}
