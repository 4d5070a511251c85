package dev.appointmentbridge.demo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The demo's webhook target: a stand-in member portal that verifies each delivery's Standard Webhooks signature
 * the way a receiver should (HMAC-SHA256 over {@code id.timestamp.body} with the shared secret, any of the
 * space-separated {@code v1,} signatures, a timestamp within 5 minutes) and keeps the last 50 with the verdict,
 * so a new user sees events arrive and that signing works ({@code GET /demo/receiver}).
 */
@Path("/demo/receiver")
public class DemoReceiverResource {

    /** Standard Webhooks' suggested tolerance for the webhook-timestamp, against replays. */
    private static final long TOLERANCE_SECONDS = 5 * 60;

    /** One received delivery; {@code verification} is {@code verified}, {@code unsigned} or {@code failed: why}. */
    public record Received(String receivedAt, String webhookId, String webhookTimestamp, String verification,
            String body) {
    }

    private final Deque<Received> last = new ArrayDeque<>();
    private final byte[] key;

    public DemoReceiverResource(@ConfigProperty(name = "bridge.targets.demo-portal.secret") String secret) {
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public synchronized void receive(byte[] body, @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp, @HeaderParam("webhook-signature") String signature) {
        last.addFirst(new Received(Instant.now().toString(), id, timestamp, verify(body, id, timestamp, signature),
                new String(body, StandardCharsets.UTF_8)));
        while (last.size() > 50) {
            last.removeLast();
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public synchronized List<Received> list() {
        return new ArrayList<>(last);
    }

    private String verify(byte[] body, String id, String timestamp, String signatures) {
        if (signatures == null) {
            return "unsigned";
        }
        if (id == null || timestamp == null) {
            return "failed: webhook-id or webhook-timestamp missing";
        }
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "failed: webhook-timestamp is not a number";
        }
        if (Math.abs(Instant.now().getEpochSecond() - sent) > TOLERANCE_SECONDS) {
            return "failed: webhook-timestamp more than 5 minutes off";
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = Base64.getEncoder().encode(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            return "failed: " + e.getClass().getSimpleName();
        }
        for (String candidate : signatures.split(" ")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(
                    candidate.substring(3).getBytes(StandardCharsets.US_ASCII), expected)) {
                return "verified";
            }
        }
        return "failed: no v1 signature matches";
    }
}
