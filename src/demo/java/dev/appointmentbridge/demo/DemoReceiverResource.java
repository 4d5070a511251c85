package dev.appointmentbridge.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The demo's webhook target: a stand-in member portal that keeps the last 50 deliveries it received, so
 * a new user sees events flow all the way through ({@code GET /demo/receiver}).
 */
@Path("/demo/receiver")
public class DemoReceiverResource {

    /** One received delivery. */
    public record Received(String receivedAt, String webhookId, String webhookTimestamp, boolean signed,
            String body) {
    }

    private final Deque<Received> last = new ArrayDeque<>();

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public synchronized void receive(String body, @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp, @HeaderParam("webhook-signature") String signature) {
        last.addFirst(new Received(Instant.now().toString(), id, timestamp, signature != null, body));
        while (last.size() > 50) {
            last.removeLast();
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public synchronized List<Received> list() {
        return new ArrayList<>(last);
    }
}
