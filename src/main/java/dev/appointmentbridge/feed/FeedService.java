package dev.appointmentbridge.feed;

import dev.appointmentbridge.common.NativeColumn;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hibernate.StatelessSession;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.delivery.format.PayloadFormatter;
import dev.appointmentbridge.delivery.target.TargetRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads a target's deliveries by sequence number (delivery_sequence_idx), rendering each body exactly as the worker
 * renders it for sending. Every number up to the last assigned is committed with its row, so a missing number is one
 * retention deleted: reading into it is a 410 that names the deleted range and where the feed goes on, never a page
 * that silently skips.
 */
@ApplicationScoped
public class FeedService {

    private static final String PAGE = """
            SELECT d.sequence, e.uuid, e.type, e.occurred_at, e.payload, d.status, d.attempts, d.created_at, d.sent_at
              FROM delivery d JOIN event e ON e.id = d.event_id
             WHERE d.target = :target AND d.sequence > :after AND d.sequence IS NOT NULL
             ORDER BY d.sequence
             LIMIT :limit
            """;

    @Inject
    StatelessSession session;

    @Inject
    TargetRegistry targets;

    @Inject
    PayloadFormatter formatter;

    public FeedPage page(TargetRegistry.Target target, long after, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // last before the rows: every row read is numbered at most last (a number is visible only once committed)
            long last = NativeColumn.value(NativeColumn.select(session, "SELECT COALESCE(max(last), 0) AS last"
                    + " FROM target_sequence WHERE target = :target", "last", Long.class)
                    .setParameter("target", target.name()).getSingleResult(), Long.class);
            if (after > last) {
                throw new ApiException(409, "after=" + after + " is beyond the last number assigned to "
                        + target.name() + " (" + last + "): numbers come only from this bridge's database, so it was"
                        + " reset or the number is not one it sent", List.of(ErrorItem.of("query", "after",
                                "last sequence assigned: " + last, "beyond_last")));
            }
            List<Object[]> rows = session.createNativeQuery(PAGE, Object[].class)
                    .addScalar("sequence", Long.class).addScalar("uuid", UUID.class).addScalar("type", String.class)
                    .addScalar("occurred_at", Instant.class).addScalar("payload", String.class)
                    .addScalar("status", String.class).addScalar("attempts", Integer.class)
                    .addScalar("created_at", Instant.class).addScalar("sent_at", Instant.class)
                    .setParameter("target", target.name()).setParameter("after", after).setParameter("limit", limit)
                    .getResultList();
            List<FeedEntry> entries = new ArrayList<>(rows.size());
            long nextAfter = after;
            for (Object[] r : rows) {
                long sequence = (Long) r[0];
                if (sequence > last) {
                    break; // committed after last was read: the next page has it
                }
                if (sequence != nextAfter + 1) {
                    if (entries.isEmpty()) {
                        throw deleted(target, after + 1, sequence - 1, sequence);
                    }
                    break; // a hole (retention) starts here: the next request gets the 410 that names it
                }
                String body = formatter.render(target.config().format(), (String) r[2], r[3].toString(), (String) r[4],
                        target.config().includePatientName()).map(b -> new String(b,
                                java.nio.charset.StandardCharsets.UTF_8)).orElse("null");
                entries.add(new FeedEntry(sequence, r[1].toString(), (String) r[2], (String) r[5], (Integer) r[6],
                        time((Instant) r[7]), time((Instant) r[8]), body));
                nextAfter = sequence;
            }
            if (entries.isEmpty() && after < last && rows.stream().noneMatch(r -> (Long) r[0] <= last)) {
                throw deleted(target, after + 1, last, last + 1);
            }
            return new FeedPage(target.name(), after, nextAfter, last, entries);
        });
    }

    /**
     * Every number up to the last one assigned was committed with its row, so a number that is not there was deleted
     * by retention: say which, and where to read on.
     */
    private static ApiException deleted(TargetRegistry.Target target, long from, long to, long next) {
        return new ApiException(410, "Deliveries " + from + " to " + to + " of " + target.name() + " were deleted by"
                + " retention (bridge.retention.*); the feed goes on at sequence " + next + ": ask with after="
                + (next - 1) + ".", List.of(ErrorItem.of("query", "after", "next sequence kept: " + next, "gone")))
                .withHeader("Bridge-Feed-Start", Long.toString(next));
    }

    private static String time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
