package dev.appointmentbridge.event;

import java.util.List;

/**
 * Where new events go out, called inside the transaction that appends them (transactional outbox). The event
 * log owns this port; the delivery package implements it, so the arrow runs one way: delivery depends on
 * event, never the reverse.
 */
public interface OutboxPort {

    /**
     * Records the deliveries of events just appended, in the caller's JTA transaction.
     *
     * @param eventIds the new rows' ids, in the order of {@code events}
     */
    void enqueue(List<Long> eventIds, List<NewEvent> events);
}
