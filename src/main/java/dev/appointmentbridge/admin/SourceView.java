package dev.appointmentbridge.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One source in {@code GET /admin/sources}: its configuration (no secrets) and its last poll.
 * {@code detectDeletes} is {@code history}, {@code off} (configured) or {@code off: <reason>} (the server
 * refused {@code _history}); {@code quarantined} counts records set aside as unreadable. {@code mode} is
 * {@code cursor} or {@code window}; {@code window} says what a window source's last scan concluded, or why it
 * concluded nothing. {@code completeThrough} is the watermark (every upstream change up to
 * it is known to have been seen: a cursor source's cursor, a window source's start of its last complete scan);
 * {@code scopes} the window searches' scopes ({@code all}: one search); {@code reconcile} where a cursor source's
 * sweep stands ({@code off} without sweeps); {@code pausedUntil} a Retry-After the source asked for.
 * {@code pendingRemovals} absences a window scan of a source without reads by id did not conclude (a short answer,
 * or too many at once) and that wait for an operator's confirmation, the newest held at
 * {@code pendingRemovalsThrough}.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SourceView(String name, String type, String baseUrl, String pollInterval, String auth, String cursor,
        boolean baselineDone, String lastPollAt, String lastSuccessAt, String lastResult, String lastError,
        int lastRecords, int lastEvents, long pollsOk, long pollsFailed, long eventsTotal, long snapshots,
        String historyCursor, String detectDeletes, long quarantined, String mode, String window,
        String completeThrough, java.util.List<String> scopes, String reconcile, String pausedUntil,
        long pendingRemovals, String pendingRemovalsThrough) {
}
