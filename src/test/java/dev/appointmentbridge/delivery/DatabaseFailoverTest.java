package dev.appointmentbridge.delivery;

import dev.appointmentbridge.support.Management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Issue 25: a failover whose reconnects land on a node that can only read (SQLSTATE 25006), then the writer back.
 * Readiness said UP throughout, and after the writer was back nothing recovered without a restart: the pool kept its
 * read-only sessions. Played here on the test database: new sessions are made read-only
 * ({@code ALTER DATABASE ... SET default_transaction_read_only}) and every open one is cut, so the pool reconnects
 * read-only; then new sessions may write again while the pool still holds the read-only ones.
 */
@QuarkusTest
@TestProfile(DeliveryTestProfile.class)
class DatabaseFailoverTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @AfterEach
    void writerBack() throws Exception {
        // Whatever happened above, sessions made from now on can write (the bridge's own recovery is the test).
        sql("ALTER DATABASE test RESET default_transaction_read_only", false);
    }

    @Test
    void readinessFollowsWhetherTheDatabaseTakesWritesAndPushesAndDeliveriesResumeWithoutARestart()
            throws Exception {
        Management.given().get("/q/health/ready").then().statusCode(200);
        sql("ALTER DATABASE test SET default_transaction_read_only = on", true);
        // Cut sessions fail one check each whatever the bridge does; DOWN must last while the database only reads.
        Awaitility.await("readiness DOWN while the database only reads").atMost(Duration.ofSeconds(60))
                .during(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 503 && push(unique("apt-ro")) == 503);
        given().get("/").then().statusCode(503).body("database", org.hamcrest.Matchers.equalTo("read-only"));

        sql("ALTER DATABASE test RESET default_transaction_read_only", false); // the pool keeps its sessions
        Awaitility.await("readiness UP").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        String apt = unique("apt-back");
        Awaitility.await("pushes stored again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> push(apt) == 201);
        assertEquals(1, DeliveryTestProfile.receiver.await("/std", apt, 1, Duration.ofSeconds(30)).size(),
                "deliveries resume");
    }

    private static int push(String appointmentId) {
        return given().contentType(ContentType.JSON).header("webhook-id", "evt-" + UUID.randomUUID()).body("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"pat-1",
                 "timestamp":"2025-01-10T12:30:00Z"}""".formatted(appointmentId)).post("/webhook/appointment")
                .statusCode();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs {@code statement} from another database; {@code cut}: then ends every session of the test database. */
    private static void sql(String statement, boolean cut) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
            if (cut) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'test'");
            }
        }
    }
}
