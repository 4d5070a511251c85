package dev.appointmentbridge.replica;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.common.InstanceName;
import dev.appointmentbridge.support.LogScan;
import dev.appointmentbridge.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Each replica records itself (name, release, a fingerprint of its sources and targets without secrets, last seen);
 * live replicas configured differently are a WARN, the gauge bridge_replicas_configurations and /admin/replicas.
 */
@QuarkusTest
class ReplicaRegistryTest {

    @Inject
    ReplicaRegistry registry;

    @Inject
    DataSource dataSource;

    @Inject
    dev.appointmentbridge.event.OutboxPort outbox;

    @Test
    void aReplicaConfiguredDifferentlyIsAWarnAMetricAndShownToOperators() throws SQLException {
        given().get("/admin/replicas").then().statusCode(200)
                .body("find { it.self }.instance", equalTo(InstanceName.get()))
                .body("find { it.self }.live", equalTo(true))
                .body("find { it.self }.version", containsString("schema "))
                .body("find { it.self }.fingerprint", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{12}"));
        update("INSERT INTO replica (instance, version, fingerprint, targets, sources) VALUES ('canary-pod:7',"
                + " '0.0.9 (schema 16)', '000000000000', ARRAY['portal'], ARRAY['ehr'])"
                + " ON CONFLICT (instance) DO UPDATE SET last_seen = now()");
        try {
            registry.heartbeat();
            assertTrue(LogScan.lines().stream().anyMatch(l -> l.contains("WARN")
                    && l.contains("Live replicas are configured differently (2 configurations)")
                    && l.contains("canary-pod:7")), "one WARN naming the replicas");
            Management.given().get("/q/metrics").then()
                    .body(containsString("bridge_replicas_configurations 2.0"))
                    .body(containsString("bridge_replicas_live 2.0"));
            given().get("/admin/replicas").then().body("find { it.instance == 'canary-pod:7' }.targets[0]",
                    equalTo("portal"));

            update("UPDATE replica SET last_seen = now() - interval '1 hour' WHERE instance = 'canary-pod:7'");
            registry.heartbeat();
            Management.given().get("/q/metrics").then().body(containsString("bridge_replicas_configurations 1.0"));
            given().get("/admin/replicas").then().body("find { it.instance == 'canary-pod:7' }.live", equalTo(false));
        } finally {
            update("DELETE FROM replica WHERE instance = 'canary-pod:7'");
        }
    }

    /**
     * Before: a replica started narrower wrote rows only for its own targets, so events it took in never reached the
     * other replica's extra target. Now its outbox writes rows for the targets of every live replica.
     */
    @Test
    void anEventTakenInHereGetsRowsForTheTargetsOfOtherLiveReplicas() throws SQLException {
        update("INSERT INTO replica (instance, version, fingerprint, targets, target_specs, sources) VALUES"
                + " ('wide-pod:8', 'x', 'abc', ARRAY['crm'], '[{\"name\": \"crm\", \"format\": \"STANDARD\","
                + " \"events\": [\"appointment.scheduled\"]}]', ARRAY[]::text[])"
                + " ON CONFLICT (instance) DO UPDATE SET last_seen = now(), target_specs = excluded.target_specs");
        try {
            registry.heartbeat();
            String apt = "wide-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            push("appointment.scheduled", apt);
            push("appointment.cancelled", apt);
            org.junit.jupiter.api.Assertions.assertEquals("1", query("SELECT count(*) FROM delivery d JOIN event e"
                    + " ON e.id = d.event_id WHERE d.target = 'crm' AND e.appointment_id = '" + apt + "'"),
                    "the scheduled event has a crm row (its filter leaves the cancellation out)");
            org.junit.jupiter.api.Assertions.assertEquals("pending", query("SELECT d.status FROM delivery d JOIN event"
                    + " e ON e.id = d.event_id WHERE d.target = 'crm' AND e.appointment_id = '" + apt + "'"));

            update("UPDATE replica SET last_seen = now() - interval '1 hour' WHERE instance = 'wide-pod:8'");
            registry.heartbeat();
            String later = "gone-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            push("appointment.scheduled", later);
            org.junit.jupiter.api.Assertions.assertEquals("0", query("SELECT count(*) FROM delivery d JOIN event e"
                    + " ON e.id = d.event_id WHERE d.target = 'crm' AND e.appointment_id = '" + later + "'"),
                    "no live replica has crm any more");
        } finally {
            update("DELETE FROM replica WHERE instance = 'wide-pod:8'");
            update("DELETE FROM delivery WHERE target = 'crm'");
            registry.heartbeat();
        }
    }

    /**
     * A release that numbers deliveries when it stores them, live beside this one (a rollout, a rollback): this one
     * numbers when storing too, so one appointment's numbers follow its events whichever replica stored them (a review
     * run without it: 44 of 60 appointments pushed to both releases had a later event under a lower number). Once only
     * replicas that number when claiming are live, storing takes no number.
     */
    @Test
    void whileAnOlderReleaseIsLiveDeliveriesAreNumberedWhenStored() throws SQLException {
        update("INSERT INTO replica (instance, version, fingerprint, targets, target_specs, sources) VALUES"
                + " ('older-pod:9', '0.1.0-SNAPSHOT (schema 18)', 'abc', ARRAY['crm'], '[{\"name\": \"crm\","
                + " \"format\": \"STANDARD\", \"events\": []}]', ARRAY[]::text[])"
                + " ON CONFLICT (instance) DO UPDATE SET last_seen = now(), version = excluded.version,"
                + " target_specs = excluded.target_specs");
        try {
            registry.heartbeat();
            assertTrue(registry.numbersAtStore());
            assertTrue(registry.locksAfterStoring());
            assertEquals("", plannedLocks(), "the order locks are taken after the event insert, as the older does");
            String apt = "older-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            push("appointment.scheduled", apt);
            org.junit.jupiter.api.Assertions.assertEquals("numbered", query("SELECT CASE WHEN d.sequence IS NULL"
                    + " THEN 'none' ELSE 'numbered' END FROM delivery d JOIN event e ON e.id = d.event_id"
                    + " WHERE d.target = 'crm' AND e.appointment_id = '" + apt + "'"));

            update("UPDATE replica SET version = '0.1.0-SNAPSHOT (schema 18; " + ReplicaRegistry.NUMBERS_AT_CLAIM
                    + "; " + ReplicaRegistry.LOCKS_BEFORE_STORING + ")' WHERE instance = 'older-pod:9'");
            registry.heartbeat();
            org.junit.jupiter.api.Assertions.assertFalse(registry.numbersAtStore());
            org.junit.jupiter.api.Assertions.assertFalse(registry.locksAfterStoring());
            assertTrue(plannedLocks().contains("order_locks"), "the event insert takes the order locks");
            String later = "newer-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            push("appointment.scheduled", later);
            org.junit.jupiter.api.Assertions.assertEquals("none", query("SELECT CASE WHEN d.sequence IS NULL"
                    + " THEN 'none' ELSE 'numbered' END FROM delivery d JOIN event e ON e.id = d.event_id"
                    + " WHERE d.target = 'crm' AND e.appointment_id = '" + later + "'"));
        } finally {
            update("DELETE FROM replica WHERE instance = 'older-pod:9'");
            update("DELETE FROM delivery WHERE target = 'crm'");
            registry.heartbeat();
        }
    }

    @Test
    void aGraceShorterThanThreeHeartbeatsStopsTheStart() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ReplicaRegistry.checkTiming(java.time.Duration.ofMinutes(2), java.time.Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("bridge.replicas.grace") && e.getMessage().contains("three times"));
        ReplicaRegistry.checkTiming(java.time.Duration.ofSeconds(15), java.time.Duration.ofMinutes(10));
    }

    private static void push(String type, String appointmentId) {
        given().contentType(io.restassured.http.ContentType.JSON).body("""
                {"event_type":"%s","appointment_id":"%s","patient_id":"pat-1","timestamp":"2025-01-10T12:30:00Z"}
                """.formatted(type, appointmentId)).post("/webhook/appointment").then().statusCode(201);
    }

    /** The lock CTEs the outbox plans for the event insert of a new appointment (only the older replica's crm). */
    private String plannedLocks() {
        return outbox.plan(java.util.List.of(new dev.appointmentbridge.event.NewEvent(java.util.UUID.randomUUID(),
                dev.appointmentbridge.event.EventType.SCHEDULED, "inbound", "planned-1", "pat-1",
                java.time.OffsetDateTime.now(), null, null, null, "{}"))).locks();
    }

    private String query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
