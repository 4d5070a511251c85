package dev.appointmentbridge.inbound;

import static dev.appointmentbridge.inbound.ReceivePathWarmUpTest.count;
import static dev.appointmentbridge.inbound.ReceivePathWarmUpTest.execute;
import static dev.appointmentbridge.inbound.ReceivePathWarmUpTest.metric;
import static dev.appointmentbridge.inbound.ReceivePathWarmUpTest.push;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * While the warm-up runs (more rounds than this test lasts): the replica is not ready; a push with its token is
 * answered and rolled back, and not counted even when refused; any other push is stored and counted, though it shares
 * the writers, and often a batch, with the warm-up's pushes.
 */
@QuarkusTest
@TestProfile(ReceivePathWarmUpRunningTest.RunningProfile.class)
class ReceivePathWarmUpRunningTest {

    public static class RunningProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ReceivePathWarmUpTest.overrides(1_000_000);
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    ReceivePathWarmUp warmUp;

    @Test
    void notReadyWhileItRunsAndOnlyItsTokenIsRolledBack() throws Exception {
        Awaitility.await("warm-up pushes answered").atMost(Duration.ofSeconds(60)).until(() -> warmUp.pushes() > 20);
        Management.given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'Receiving path warm-up' }.status", equalTo("DOWN"));

        push("warm-token", warmUp.token()).then().statusCode(201).body("data.appointment_id", equalTo("warm-token"));
        assertEquals(0, count(dataSource, "SELECT count(*) FROM event WHERE appointment_id = 'warm-token'"));
        given().contentType(ContentType.JSON).header(ReceivePathWarmUp.HEADER, warmUp.token()).body("{}")
                .post("/webhook/appointment").then().statusCode(422);
        assertEquals("0.0", metric("bridge_inbound_rejected_total{status=\"422\"} "), "a warm-up push is not counted");

        for (int i = 0; i < 20; i++) {
            push("warm-forged-" + i, warmUp.token().substring(1) + "x").then().statusCode(201);
        }
        assertEquals(20, count(dataSource, "SELECT count(*) FROM event WHERE appointment_id LIKE 'warm-forged-%'"));
        assertEquals(20, count(dataSource, "SELECT count(*) FROM delivery WHERE appointment_id LIKE 'warm-forged-%'"));
        assertEquals(20, count(dataSource, "SELECT count(*) FROM event"), "no warm-up push was stored");
        assertEquals("20.0", metric("bridge_inbound_events_total{type=\"appointment.scheduled\"} "));
        given().contentType(ContentType.JSON).header(ReceivePathWarmUp.HEADER, "x").body("{}")
                .post("/webhook/appointment").then().statusCode(422);
        assertEquals("1.0", metric("bridge_inbound_rejected_total{status=\"422\"} "));
        execute(dataSource, "DELETE FROM delivery WHERE appointment_id LIKE 'warm-forged-%'");
    }
}
