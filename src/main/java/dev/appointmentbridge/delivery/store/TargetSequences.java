package dev.appointmentbridge.delivery.store;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

import org.hibernate.StatelessSession;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Takes numbers of targets' sequences ({@code target_sequence}) in the caller's transaction: a delivery's number when
 * it is first claimed (DeliveryStore), or when it is stored while an older release that numbers so is live (Outbox).
 * Each target's row stays locked until that transaction ends, so numbers become visible in the order they were taken
 * and a rollback returns them.
 */
@ApplicationScoped
public class TargetSequences {

    /** Targets in name order: two transactions never wait for each other's rows in a cycle. */
    private static final String TAKE = """
            INSERT INTO target_sequence AS s (target, last)
            SELECT x.t, x.n FROM unnest(CAST(:targets AS text[]), CAST(:counts AS bigint[])) AS x(t, n) ORDER BY x.t
            ON CONFLICT (target) DO UPDATE SET last = s.last + excluded.last
            RETURNING s.target, s.last
            """;

    @Inject
    StatelessSession session;

    /**
     * Takes {@code counts.get(target)} consecutive numbers of each target's sequence.
     *
     * @return per target, the first number taken
     */
    public Map<String, Long> take(SortedMap<String, Long> counts) {
        Map<String, Long> first = new HashMap<>();
        for (Object[] row : session.createNativeQuery(TAKE, Object[].class)
                .addScalar("target", String.class).addScalar("last", Long.class)
                .setParameter("targets", counts.keySet().toArray(new String[0]))
                .setParameter("counts", counts.values().toArray(new Long[0])).getResultList()) {
            first.put((String) row[0], (Long) row[1] - counts.get((String) row[0]) + 1);
        }
        return first;
    }
}
