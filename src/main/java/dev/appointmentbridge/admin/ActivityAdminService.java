package dev.appointmentbridge.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Per-minute counts of the last hour for the operator page's chart. Two grouped range scans over the
 * retention indexes on event.received_at and delivery_attempt.attempted_at; native SQL for date_trunc.
 */
@ApplicationScoped
public class ActivityAdminService {

    static final int MINUTES = 60;

    @Transactional(Transactional.TxType.SUPPORTS)
    public ActivityView lastHour() {
        Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant from = to.minus(MINUTES, ChronoUnit.MINUTES);
        Map<Instant, long[]> minutes = new LinkedHashMap<>();
        for (Instant m = from; m.isBefore(to); m = m.plus(1, ChronoUnit.MINUTES)) {
            minutes.put(m, new long[3]);
        }
        List<Object[]> events = Panache.getEntityManager().createNativeQuery("""
                SELECT CAST(extract(epoch FROM date_trunc('minute', received_at)) AS bigint), count(*) FROM event
                 WHERE received_at >= :from GROUP BY 1""").setParameter("from", from.atOffset(java.time.ZoneOffset.UTC))
                .getResultList();
        events.forEach(r -> add(minutes, r[0], 0, r[1]));
        List<Object[]> attempts = Panache.getEntityManager().createNativeQuery("""
                SELECT CAST(extract(epoch FROM date_trunc('minute', attempted_at)) AS bigint),
                       status_code BETWEEN 200 AND 299, count(*)
                  FROM delivery_attempt WHERE attempted_at >= :from GROUP BY 1, 2""")
                .setParameter("from", from.atOffset(java.time.ZoneOffset.UTC)).getResultList();
        attempts.forEach(r -> add(minutes, r[0], Boolean.TRUE.equals(r[1]) ? 1 : 2, r[2]));
        List<ActivityView.Minute> list = new ArrayList<>(MINUTES);
        minutes.forEach((m, c) -> list.add(new ActivityView.Minute(m.toString(), c[0], c[1], c[2])));
        return new ActivityView(from.toString(), to.toString(), list);
    }

    private static void add(Map<Instant, long[]> minutes, Object minute, int column, Object count) {
        long[] counts = minutes.get(Instant.ofEpochSecond(((Number) minute).longValue()));
        if (counts != null) {
            counts[column] += ((Number) count).longValue();
        }
    }
}
