package dev.appointmentbridge.feed;

import static dev.appointmentbridge.support.TestReceiver.seconds;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.hibernate.StatelessSession;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import dev.appointmentbridge.support.TestReceiver;
import dev.appointmentbridge.support.TestReceiver.Answer;
import dev.appointmentbridge.support.TestReceiver.Received;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Rotation, Ed25519, the per-target sequence, the feed and heartbeats, as a receiver meets them. */
@QuarkusTest
@TestProfile(ReceiverRecoveryProfile.class)
class ReceiverRecoveryTest {

    @Inject
    StatelessSession session;

    private static TestReceiver receiver() {
        return ReceiverRecoveryProfile.receiver;
    }

    private static void post(String type, String appointmentId) {
        given().contentType(ContentType.JSON).header("webhook-id", "evt-" + UUID.randomUUID()).body("""
                {"event_type":"%s","appointment_id":"%s","patient_id":"p","timestamp":"2025-01-10T12:30:00Z"}
                """.formatted(type, appointmentId)).post("/webhook/appointment").then().statusCode(201);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath feed(String target, String key, long after, int limit) {
        return given().header("Authorization", "Bearer " + key).queryParam("after", after).queryParam("limit", limit)
                .get("/feed/" + target).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, List<String>> lower(Received r) {
        return r.headers().entrySet().stream().collect(Collectors.toMap(e -> e.getKey().toLowerCase(),
                Map.Entry::getValue));
    }

    @Test
    void everyAttemptVerifiesWithTheCurrentSecretThePreviousOneAndThePublicKeyEachAlone() throws Exception {
        String apt = unique("apt-keys");
        post("appointment.scheduled", apt);
        Received r = receiver().await("/seq", apt, 1, seconds(10)).get(0);
        new Webhook(ReceiverRecoveryProfile.SECRET).verify(r.body(), lower(r));
        new Webhook(ReceiverRecoveryProfile.PREVIOUS).verify(r.body(), lower(r));
        String publicKey = given().get("/admin/targets").then().extract().jsonPath()
                .getString("find { it.name == 'seq' }.public_key");
        assertEquals(3, given().get("/admin/targets").then().extract().jsonPath()
                .getInt("find { it.name == 'seq' }.signing_keys"));
        String v1a = List.of(r.header("webhook-signature").split(" ")).stream().filter(s -> s.startsWith("v1a,"))
                .findFirst().orElseThrow();
        byte[] raw = Base64.getDecoder().decode(publicKey.substring("whpk_".length()));
        byte[] spki = new byte[44];
        System.arraycopy(HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(raw, 0, spki, 12, 32);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        verifier.update((r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body())
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Base64.getDecoder().decode(v1a.substring(4))), "v1a verifies with whpk_ alone");
        given().get("/admin/targets").then().body(org.hamcrest.Matchers.not(containsString(
                ReceiverRecoveryProfile.SIGNING_KEY.substring(5, 20))));
    }

    @Test
    void numbersAreGaplessAndARetryOrAReplayKeepsItsNumber() throws Exception {
        String marker = unique("apt-seq");
        receiver().script("/seq", marker + "-2", Answer.status(500));
        for (int i = 0; i < 6; i++) {
            post("appointment.scheduled", marker + "-" + i);
        }
        List<Received> got = receiver().await("/seq", marker, 7, seconds(20));
        assertEquals(7, got.size(), "six deliveries, one of them twice");
        Map<String, List<Long>> numbers = got.stream().collect(Collectors.groupingBy(r -> id(r.body()),
                Collectors.mapping(r -> Long.parseLong(r.header("bridge-sequence")), Collectors.toList())));
        assertEquals(6, numbers.size());
        List<Long> retried = numbers.get(marker + "-2");
        assertEquals(2, retried.size());
        assertEquals(retried.get(0), retried.get(1), "a retry keeps its number");
        TreeSet<Long> distinct = numbers.values().stream().map(l -> l.get(0)).collect(Collectors.toCollection(
                TreeSet::new));
        assertEquals(6, distinct.size(), "no number given twice");
        // the whole feed from the start is 1..last without a hole
        JsonPath all = feed("seq", ReceiverRecoveryProfile.FEED_KEY, 0, 1000);
        List<Long> sequences = all.getList("deliveries.sequence", Long.class);
        long last = all.getLong("last_sequence");
        assertEquals(last, sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(i + 1, sequences.get(i));
        }
        assertTrue(sequences.containsAll(distinct));
        // a replay sends the same deliveries again under the same numbers
        Instant since = Instant.now().minusSeconds(600);
        given().queryParam("since", since.toString()).post("/admin/targets/seq/replay").then().statusCode(200);
        List<Received> again = receiver().await("/seq", marker, 13, seconds(20));
        assertEquals(13, again.size());
        for (Received r : again.subList(7, 13)) {
            assertEquals(numbers.get(id(r.body())).get(0), Long.parseLong(r.header("bridge-sequence")), r.body());
        }
    }

    @Test
    void theFeedReturnsExactlyWhatFollowsANumberAsItWasSent() throws Exception {
        String marker = unique("apt-feed");
        for (int i = 0; i < 5; i++) {
            post("appointment.rescheduled", marker + "-" + i);
        }
        List<Received> got = receiver().await("/seq", marker, 5, seconds(20));
        assertEquals(5, got.size());
        long lowest = got.stream().mapToLong(r -> Long.parseLong(r.header("bridge-sequence"))).min().orElseThrow();
        JsonPath page = feed("seq", ReceiverRecoveryProfile.FEED_KEY, lowest - 1, 2);
        assertEquals(List.of(lowest, lowest + 1), page.getList("deliveries.sequence", Long.class));
        assertEquals(lowest + 1, page.getLong("next_after"));
        Map<String, Object> first = page.getMap("deliveries[0]");
        Received sent = got.stream().filter(r -> Long.parseLong(r.header("bridge-sequence")) == lowest).findFirst()
                .orElseThrow();
        assertEquals(sent.header("webhook-id"), first.get("webhook_id"));
        assertEquals("appointment.rescheduled", first.get("type"));
        String body = given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY)
                .queryParam("after", lowest - 1).queryParam("limit", 1).get("/feed/seq").then().extract().asString();
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(sent.body()),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("deliveries").get(0)
                        .path("body"), "the body as it was sent");
        assertEquals("sent", first.get("status"));
        given().queryParam("target", "seq").queryParam("limit", 500).get("/admin/deliveries").then()
                .body("find { it.webhook_id == '" + sent.header("webhook-id") + "' }.sequence",
                        equalTo((int) lowest));
    }

    @Test
    void aWrongFeedKeyGets401AndBadParameters422() {
        given().get("/feed/seq").then().statusCode(401).body("status", equalTo("error"));
        given().header("Authorization", "Bearer nope").get("/feed/seq").then().statusCode(401);
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.OLD_FEED_KEY).get("/feed/seq").then()
                .statusCode(401); // another target's key
        given().header("Authorization", "Bearer admin").get("/feed/seq").then().statusCode(401); // no other key
        given().header("X-API-Key", ReceiverRecoveryProfile.FEED_KEY).queryParam("after", 0).get("/feed/seq").then()
                .statusCode(401).body("errors[0].loc[1]", equalTo("Authorization"));
        // a target without a feed, and one that does not exist, answer exactly as a wrong key does
        String noFeed = given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY).get("/feed/beat")
                .then().statusCode(401).extract().asString();
        String noTarget = given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY)
                .get("/feed/nosuch").then().statusCode(401).extract().asString();
        String wrongKey = given().header("Authorization", "Bearer nope").get("/feed/seq").then().statusCode(401)
                .extract().asString();
        assertEquals(wrongKey, noFeed);
        assertEquals(wrongKey, noTarget);
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY).queryParam("after", 1_000_000)
                .get("/feed/seq").then().statusCode(409).body(containsString("beyond the last number"));
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY).get("/feed/seq").then()
                .statusCode(200).header("Cache-Control", "no-store");
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY).queryParam("limit", "0")
                .get("/feed/seq").then().statusCode(422).body(containsString("limit"));
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.FEED_KEY).queryParam("after", "x")
                .get("/feed/seq").then().statusCode(422).body(containsString("after"));
    }

    @Test
    void pastRetentionTheFeedSaysWhereItNowStarts() throws Exception {
        String marker = unique("apt-old");
        for (int i = 0; i < 3; i++) {
            post("appointment.completed", marker + "-" + i);
        }
        Awaitility.await().atMost(seconds(20)).until(() -> receiver().receivedFor("/old", marker).size() >= 3);
        long last = feed("old", ReceiverRecoveryProfile.OLD_FEED_KEY, 0, 1000).getLong("last_sequence");
        QuarkusTransaction.requiringNew().run(() -> { // what retention does to sent rows past their age
            session.createNativeMutationQuery("DELETE FROM delivery_attempt WHERE delivery_id IN (SELECT id FROM"
                    + " delivery WHERE target = 'old' AND sequence < :last)").setParameter("last", last)
                    .executeUpdate();
            session.createNativeMutationQuery("DELETE FROM delivery WHERE target = 'old' AND sequence < :last")
                    .setParameter("last", last).executeUpdate();
        });
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.OLD_FEED_KEY).queryParam("after", 0)
                .get("/feed/old").then().statusCode(410).header("Bridge-Feed-Start", String.valueOf(last))
                .body("message", containsString("Deliveries 1 to " + (last - 1) + " of old were deleted"))
                .body("message", containsString("after=" + (last - 1)));
        assertEquals(List.of(last), feed("old", ReceiverRecoveryProfile.OLD_FEED_KEY, last - 1, 10)
                .getList("deliveries.sequence", Long.class));
        // a hole in the middle (an older row kept pending while newer ones aged out): the page stops before it and
        // the next request names it, never a page that skips it
        for (int i = 3; i < 6; i++) {
            post("appointment.completed", marker + "-" + i);
        }
        Awaitility.await().atMost(seconds(20)).until(() -> receiver().receivedFor("/old", marker).size() >= 6);
        QuarkusTransaction.requiringNew().run(() -> {
            session.createNativeMutationQuery("DELETE FROM delivery_attempt WHERE delivery_id IN (SELECT id FROM"
                    + " delivery WHERE target = 'old' AND sequence = :gone)").setParameter("gone", last + 2)
                    .executeUpdate();
            session.createNativeMutationQuery("DELETE FROM delivery WHERE target = 'old' AND sequence = :gone")
                    .setParameter("gone", last + 2).executeUpdate();
        });
        JsonPath before = feed("old", ReceiverRecoveryProfile.OLD_FEED_KEY, last - 1, 10);
        assertEquals(List.of(last, last + 1), before.getList("deliveries.sequence", Long.class));
        assertEquals(last + 1, before.getLong("next_after"));
        given().header("Authorization", "Bearer " + ReceiverRecoveryProfile.OLD_FEED_KEY).queryParam("after", last + 1)
                .get("/feed/old").then().statusCode(410).header("Bridge-Feed-Start", String.valueOf(last + 3));
        assertEquals(List.of(last + 3), feed("old", ReceiverRecoveryProfile.OLD_FEED_KEY, last + 2, 10)
                .getList("deliveries.sequence", Long.class));
    }

    @Test
    void aHeartbeatCarriesTheLastNumberAfterTheIdleTime() throws Exception {
        String apt = unique("apt-beat");
        post("appointment.no_show", apt);
        Received delivered = receiver().await("/beat", apt, 1, seconds(10)).get(0);
        long number = Long.parseLong(delivered.header("bridge-sequence"));
        List<Received> beats = new ArrayList<>();
        Awaitility.await().atMost(seconds(15)).until(() -> {
            beats.clear();
            beats.addAll(receiver().receivedFor("/beat", "bridge.heartbeat").stream()
                    .filter(b -> b.at().isAfter(delivered.at())).toList());
            return !beats.isEmpty();
        });
        Received beat = beats.get(0);
        assertTrue(!beat.at().isBefore(delivered.at().plusMillis(900)), "not before the idle time");
        JsonPath body = JsonPath.from(beat.body());
        assertEquals("bridge.heartbeat", body.getString("type"));
        assertEquals(number, body.getLong("sequence"));
        assertEquals(String.valueOf(number), beat.header("bridge-sequence"));
        new Webhook(ReceiverRecoveryProfile.SECRET).verify(beat.body(), lower(beat));
    }

    /**
     * A receiver that answered a heartbeat 429 with an hour's Retry-After gets nothing more for that hour: no heartbeat
     * (before: one a second). Whatever the load, none can come while the pause holds.
     */
    @Test
    void noHeartbeatGoesToATargetThatAskedForAPause() {
        Awaitility.await("the first heartbeat").atMost(seconds(15))
                .until(() -> !receiver().receivedFor("/hushed", "bridge.heartbeat").isEmpty());
        java.time.Instant paused = receiver().receivedFor("/hushed", "bridge.heartbeat").get(0).at();
        Awaitility.await("three idle periods after the 429").pollDelay(java.time.Duration.ofSeconds(4))
                .atMost(seconds(10)).until(() -> true);
        assertEquals(1, receiver().receivedFor("/hushed", "bridge.heartbeat").size(),
                "heartbeats after the 429 at " + paused);
    }

    private static String id(String body) {
        return JsonPath.from(body).getString("data.appointment.id");
    }
}
