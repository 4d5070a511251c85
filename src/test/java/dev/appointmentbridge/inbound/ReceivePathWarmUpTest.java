package dev.appointmentbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.delivery.QueueOnlyProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The receiving path runs its warm-up rounds at start, with a target configured (so the outbox statements run too),
 * and leaves nothing behind: no event and no delivery.
 */
@QuarkusTest
@TestProfile(QueueOnlyProfile.class)
class ReceivePathWarmUpTest {

    @Inject
    DataSource dataSource;

    @Inject
    ReceivePathWarmUp warmUp;

    @Test
    void everyRoundRanBeforeReadyAndRolledBack() throws Exception {
        int rounds = ConfigProvider.getConfig().getValue("bridge.inbound.warm-up-rounds", Integer.class);
        assertTrue(rounds > 0, "the test profile runs a warm-up");
        assertEquals(rounds, warmUp.rounds(), "every round ran (none timed out or failed)");
        assertEquals(0, count("SELECT count(*) FROM event WHERE appointment_id LIKE 'warm-up-%'"));
        assertEquals(0, count("SELECT count(*) FROM delivery WHERE appointment_id LIKE 'warm-up-%'"));
        assertEquals(0, count("SELECT count(*) FROM delivery d JOIN event e ON e.id = d.event_id"
                + " WHERE e.patient_id = 'warm-up'"));
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
