package dev.appointmentbridge.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 12: one event PostgreSQL refuses (here a NUL in a text column, appended below the validator) must not
 * fail the other requests committed in the same group-commit batch: it gets EventRejectedException (a 4xx at
 * the endpoint), the others are stored.
 */
@QuarkusTest
class GroupCommitRejectionTest {

    @Inject
    GroupCommitEventLog log;

    private static NewEvent event(String appointmentId, String notes) {
        return new NewEvent(UUID.randomUUID(), EventType.SCHEDULED, "inbound", appointmentId, "p-1",
                OffsetDateTime.parse("2025-01-10T12:30:00Z"), null, null, notes, "{}");
    }

    @Test
    void aRefusedEventFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<StoredEvent>> good = new ArrayList<>();
        CompletableFuture<StoredEvent> bad = null;
        for (int i = 0; i < 300; i++) { // faster than the writers commit: batches form
            good.add(log.append(event("gc-" + run + "-" + i, "fine")).toCompletableFuture());
            if (i == 150) {
                bad = log.append(event("gc-" + run + "-bad", "nul \u0000 here")).toCompletableFuture();
            }
        }
        for (CompletableFuture<StoredEvent> f : good) {
            assertTrue(f.get(30, TimeUnit.SECONDS).id() > 0);
        }
        CompletableFuture<StoredEvent> refused = bad;
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> refused.get(30, TimeUnit.SECONDS));
        EventRejectedException rejected = assertInstanceOf(EventRejectedException.class, e.getCause());
        assertEquals("22", rejected.sqlState().substring(0, 2));
        assertEquals(300, EventEntity.count("appointmentId like ?1", "gc-" + run + "-%"));
    }
}
