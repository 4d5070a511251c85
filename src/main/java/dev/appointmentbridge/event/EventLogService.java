package dev.appointmentbridge.event;

import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Reads of the event log. */
@ApplicationScoped
public class EventLogService {

    @Transactional(Transactional.TxType.SUPPORTS)
    public EventPage list(EventQuery query) {
        Map<String, Object> params = EventQuery.newParams();
        String where = query.where(params);
        Sort newestFirst = Sort.descending("id");
        PanacheQuery<EventEntity> found = where.isEmpty()
                ? EventEntity.findAll(newestFirst)
                : EventEntity.find(where, newestFirst, params);
        // One extra row tells whether an older page exists without a count(*) over the whole log.
        List<EventEntity> rows = found.range(query.offset(), query.offset() + query.limit()).list();
        boolean more = rows.size() > query.limit();
        List<EventView> views = rows.stream().limit(query.limit()).map(EventView::of).toList();
        String next = more ? Long.toString(views.get(views.size() - 1).eventId()) : null;
        return new EventPage(views, views.size(), next);
    }
}
