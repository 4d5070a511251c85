package dev.appointmentbridge.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.delivery.store.ClaimedDelivery;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * A delivery takes its number in the target's sequence when it is first claimed, not in the receiving transaction:
 * a push commits while another transaction holds the target's sequence row (before: it waited for that transaction,
 * and every receiving batch with a target waited for the one before it to commit), and the claim numbers it next.
 */
@QuarkusTest
@TestProfile(QueueOnlyProfile.class)
class SequenceAtClaimTest {

    @Inject
    DataSource dataSource;

    @Inject
    DeliveryStore store;

    @Test
    void aPushCommitsWhileTheSequenceRowIsHeldAndTheClaimNumbersIt() throws Exception {
        String appointment = "seq-" + UUID.randomUUID().toString().substring(0, 8);
        long last;
        try (Connection holder = dataSource.getConnection(); Statement s = holder.createStatement()) {
            s.execute("INSERT INTO target_sequence (target, last) VALUES ('" + QueueOnlyProfile.TARGET + "', 0)"
                    + " ON CONFLICT DO NOTHING");
            holder.setAutoCommit(false);
            try (ResultSet r = s.executeQuery("SELECT last FROM target_sequence WHERE target = '"
                    + QueueOnlyProfile.TARGET + "' FOR UPDATE")) {
                r.next();
                last = r.getLong(1);
            }
            CompletableFuture<Integer> push = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body("""
                            {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p-1",
                             "timestamp":"2025-01-10T12:30:00Z"}""".formatted(appointment))
                    .post("/webhook/appointment").statusCode());
            assertEquals(201, push.get(20, TimeUnit.SECONDS), "stored while the sequence row is held");
            assertEquals(List.of("null"), column("SELECT coalesce(d.sequence::text, 'null') FROM delivery d"
                    + " WHERE d.appointment_id = '" + appointment + "'"));
            holder.rollback();
        }
        List<ClaimedDelivery> claimed;
        do { // other tests' rows of the target may be due first
            claimed = store.claim(QueueOnlyProfile.TARGET, 1000, Duration.ofSeconds(30));
        } while (!claimed.isEmpty() && claimed.stream().noneMatch(d -> appointment.equals(d.appointmentId())));
        ClaimedDelivery mine = claimed.stream().filter(d -> appointment.equals(d.appointmentId())).findFirst()
                .orElseThrow();
        assertEquals(List.of(String.valueOf(mine.sequence())), column("SELECT d.sequence::text FROM delivery d"
                + " WHERE d.appointment_id = '" + appointment + "'"));
        long now = Long.parseLong(column("SELECT last::text FROM target_sequence WHERE target = '"
                + QueueOnlyProfile.TARGET + "'").get(0));
        assertTrue(mine.sequence() > last && mine.sequence() <= now, mine.sequence() + " after " + last);
    }

    private List<String> column(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (r.next()) {
                values.add(r.getString(1));
            }
            return values;
        }
    }
}
