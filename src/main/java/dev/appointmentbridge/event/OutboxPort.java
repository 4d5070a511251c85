package dev.appointmentbridge.event;

import java.util.List;
import java.util.Map;

/**
 * Where new events go out, called inside the transaction that appends them (transactional outbox). The event
 * log owns this port; the delivery package implements it, so the arrow runs one way: delivery depends on
 * event, never the reverse.
 */
public interface OutboxPort {

    /**
     * The outbox rows a batch of events will get, planned before the events are stored, with one view of the targets
     * for both steps.
     */
    Batch plan(List<NewEvent> events);

    /** A planned batch of outbox rows. */
    interface Batch {

        /**
         * CTEs (for a {@code WITH}, without it) ending in {@code order_locks(locks)}, which take the locks every row of
         * the batch needs; the statement that stores the events must evaluate them before it inserts a row, so that
         * {@link #enqueue}'s statement, a later one, sees every earlier holder's rows. Empty: no row, no lock.
         */
        String locks();

        /** The parameters {@link #locks()} names. */
        Map<String, Object> lockParameters();

        /**
         * Records the deliveries of the events that turned out new, in the caller's JTA transaction, after the
         * statement that took {@link #locks()}.
         *
         * @param eventIds the new rows' ids, in the order of the planned events; null for an event not stored
         *        (its idempotency key was taken)
         */
        void enqueue(List<Long> eventIds);
    }
}
