package dev.appointmentbridge.replica;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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

    private void update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
