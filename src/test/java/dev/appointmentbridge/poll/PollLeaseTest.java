package dev.appointmentbridge.poll;

import dev.appointmentbridge.poll.store.PageCommit;
import dev.appointmentbridge.poll.store.DatabaseCycleStore;
import dev.appointmentbridge.poll.store.Lease;
import dev.appointmentbridge.poll.store.LeaseLostException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The poll lease and its fencing token (design.md, "Poll cycle": one replica per source at a time). */
@QuarkusTest
class PollLeaseTest {

    @Inject
    DatabaseCycleStore store;

    @Inject
    DataSource dataSource;

    @Test
    void anotherReplicasUnexpiredLeaseSkipsTheCycle() throws Exception {
        store.acquire("lease-a", Duration.ofMinutes(2)).orElseThrow();
        sql("UPDATE source_state SET lease_owner = 'other-replica:1' WHERE name = 'lease-a'");
        assertTrue(store.acquire("lease-a", Duration.ofMinutes(2)).isEmpty(), "held by another replica");
        sql("UPDATE source_state SET lease_until = now() - interval '1 second' WHERE name = 'lease-a'");
        assertTrue(store.acquire("lease-a", Duration.ofMinutes(2)).isPresent(), "taken over once it ran out");
    }

    @Test
    void aReplicaPausedPastItsLeaseCannotCommitOverTheNewHolder() throws Exception {
        Lease paused = store.acquire("lease-b", Duration.ofMinutes(2)).orElseThrow();
        // The lease runs out while the first holder is paused (GC, a hung request); another replica claims it.
        sql("UPDATE source_state SET lease_until = now() - interval '1 second', lease_owner = 'other-replica:1'"
                + " WHERE name = 'lease-b'");
        Lease next = store.acquire("lease-b", Duration.ofMinutes(2)).orElseThrow();
        assertTrue(next.fence() > paused.fence());
        assertThrows(LeaseLostException.class, () -> store.page(paused, List.of(), (known, held) -> {
            PageCommit c = new PageCommit();
            c.cursor = Instant.parse("2030-01-01T00:00:00Z");
            return c;
        }));
        assertThrows(LeaseLostException.class, () -> store.finish(paused, null, null, 0, 0));
        store.page(next, List.of(), (known, held) -> {
            PageCommit c = new PageCommit();
            c.cursor = Instant.parse("2025-01-01T00:00:00Z");
            return c;
        });
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"),
                store.acquire("lease-b", Duration.ofMinutes(2)).orElseThrow().cursor(), "the stale write left nothing");
    }

    @Test
    void aReplicaTakesItsOwnUnreleasedLeaseBack() {
        // e.g. the database was down when its failed cycle tried to release the lease
        Lease first = store.acquire("lease-c", Duration.ofMinutes(2)).orElseThrow();
        Lease again = store.acquire("lease-c", Duration.ofMinutes(2)).orElseThrow();
        assertTrue(again.fence() > first.fence());
        assertThrows(LeaseLostException.class, () -> store.finish(first, null, null, 0, 0));
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.executeUpdate();
        }
    }
}
