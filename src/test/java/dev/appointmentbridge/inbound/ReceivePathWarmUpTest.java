package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * The replica pushes its warm-up rounds to its own receiving endpoint once the port is open, with a target configured
 * (so the outbox statements run too), is ready once they were answered, and leaves nothing behind: no event, no
 * delivery, no count. The warm-up header admits only the replica's own token.
 */
@QuarkusTest
@TestProfile(ReceivePathWarmUpTest.WarmUpProfile.class)
class ReceivePathWarmUpTest {

    static final int ROUNDS = 12;

    public static class WarmUpProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.inbound.warm-up-rounds", String.valueOf(ROUNDS), "bridge.delivery.enabled", "false",
                    "bridge.targets.warm.url", "http://127.0.0.1:9/never-called", "bridge.targets.warm.format",
                    "standard");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    ReceivePathWarmUp warmUp;

    @Test
    void warmUpPushesRollBackAndOnlyTheReplicasTokenIsAWarmUp() throws Exception {
        Awaitility.await("warm-up finished and readiness UP").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        assertFalse(warmUp.failed(), "no warm-up push failed");
        assertEquals(ROUNDS, warmUp.pushes(), "every warm-up push was answered 201");
        Management.given().get("/q/health/ready").then().body("checks.find { it.name == 'Receiving path warm-up' }"
                + ".data.pushes", equalTo(ROUNDS));
        assertEquals(0, count("SELECT count(*) FROM event"));
        assertEquals(0, count("SELECT count(*) FROM delivery"));
        assertEquals("0.0", scheduledCount(), "a warm-up push is not counted");

        // the replica's token: answered like a push, stored nothing
        push("warm-token", warmUp.token()).then().statusCode(201).body("data.appointment_id", equalTo("warm-token"));
        assertEquals(0, count("SELECT count(*) FROM event WHERE appointment_id = 'warm-token'"));
        // any other value is an ordinary push: stored, with its outbox row
        push("warm-forged", warmUp.token().substring(1) + "x").then().statusCode(201);
        assertEquals(1, count("SELECT count(*) FROM event WHERE appointment_id = 'warm-forged'"));
        assertEquals(1, count("SELECT count(*) FROM delivery WHERE appointment_id = 'warm-forged'"));
        assertEquals("1.0", scheduledCount());
        // a refused warm-up push is not a refused push in the metrics; another's is
        given().contentType(ContentType.JSON).header(ReceivePathWarmUp.HEADER, warmUp.token()).body("{}")
                .post("/webhook/appointment").then().statusCode(422);
        assertEquals("0.0", metric("bridge_inbound_rejected_total{status=\"422\"} "));
        given().contentType(ContentType.JSON).header(ReceivePathWarmUp.HEADER, "x").body("{}")
                .post("/webhook/appointment").then().statusCode(422);
        assertEquals("1.0", metric("bridge_inbound_rejected_total{status=\"422\"} "));
        execute("DELETE FROM delivery WHERE appointment_id = 'warm-forged'");
    }

    private static String scheduledCount() {
        return metric("bridge_inbound_events_total{type=\"appointment.scheduled\"} ");
    }

    private static String metric(String line) {
        return Management.given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(line))
                .map(l -> l.substring(line.length())).findFirst().orElse("absent");
    }

    @Test
    void aNegativeRoundCountStopsTheStart() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ReceivePathWarmUp.checked(-1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("bridge.inbound.warm-up-rounds must be"));
        assertEquals(0, ReceivePathWarmUp.checked(0));
    }

    private static io.restassured.response.Response push(String appointment, String token) {
        return given().contentType(ContentType.JSON).header(ReceivePathWarmUp.HEADER, token).body("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p","timestamp":"2026-01-10T12:30:00Z"}
                """.formatted(appointment)).post("/webhook/appointment");
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
