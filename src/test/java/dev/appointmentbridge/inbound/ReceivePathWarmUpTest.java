package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * delivery, no count. Its token is worth nothing once the warm-up is over. (ReceivePathWarmUpRunningTest: while it
 * runs.)
 */
@QuarkusTest
@TestProfile(ReceivePathWarmUpTest.WarmUpProfile.class)
class ReceivePathWarmUpTest {

    static final int ROUNDS = 12;

    public static class WarmUpProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return overrides(ROUNDS);
        }
    }

    static Map<String, String> overrides(int rounds) {
        return Map.of("bridge.inbound.warm-up-rounds", String.valueOf(rounds), "bridge.delivery.enabled", "false",
                "bridge.targets.warm.url", "http://127.0.0.1:9/never-called", "bridge.targets.warm.format", "standard");
    }

    @Inject
    DataSource dataSource;

    @Inject
    ReceivePathWarmUp warmUp;

    @Test
    void warmUpPushesRollBackAndItsTokenExpires() throws Exception {
        Awaitility.await("warm-up finished and readiness UP").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        assertFalse(warmUp.failed(), "no warm-up push failed: " + warmUp.stoppedBy());
        assertEquals(ROUNDS, warmUp.pushes(), "every warm-up push was answered 201");
        Management.given().get("/q/health/ready").then().body("checks.find { it.name == 'Receiving path warm-up' }"
                + ".data.pushes", equalTo(ROUNDS));
        assertEquals(0, count(dataSource, "SELECT count(*) FROM event"));
        assertEquals(0, count(dataSource, "SELECT count(*) FROM delivery"));
        assertEquals("0.0", metric("bridge_inbound_events_total{type=\"appointment.scheduled\"} "),
                "a warm-up push is not counted");

        // over: the token is an ordinary header value, the push is stored with its outbox row
        push("warm-late", warmUp.token()).then().statusCode(201);
        assertEquals(1, count(dataSource, "SELECT count(*) FROM event WHERE appointment_id = 'warm-late'"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM delivery WHERE appointment_id = 'warm-late'"));
        assertEquals("1.0", metric("bridge_inbound_events_total{type=\"appointment.scheduled\"} "));
        execute(dataSource, "DELETE FROM delivery WHERE appointment_id = 'warm-late'");
    }

    @Test
    void aNegativeRoundCountStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReceivePathWarmUp.checked(-1));
        assertTrue(e.getMessage().startsWith("bridge.inbound.warm-up-rounds must be"));
        assertEquals(0, ReceivePathWarmUp.checked(0));
    }

    static io.restassured.response.Response push(String appointment, String token) {
        return given().contentType(ContentType.JSON).header(ReceivePathWarmUp.HEADER, token).body("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p","timestamp":"2026-01-10T12:30:00Z"}
                """.formatted(appointment)).post("/webhook/appointment");
    }

    static String metric(String line) {
        return Management.given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(line))
                .map(l -> l.substring(line.length())).findFirst().orElse("absent");
    }

    static long count(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static void execute(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
