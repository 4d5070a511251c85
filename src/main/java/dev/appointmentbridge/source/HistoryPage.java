package dev.appointmentbridge.source;

import java.time.Instant;
import java.util.List;

/**
 * One page of {@code Appointment/_history}: the ids of entries whose {@code request.method} is DELETE, the
 * next page's absolute URL (null at the end) and the server's time of the history search.
 */
public record HistoryPage(List<String> deletedIds, String next, Instant searchTime) {
}
