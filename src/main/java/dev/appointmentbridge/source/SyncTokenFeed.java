package dev.appointmentbridge.source;

/**
 * A source that hands out changes by an opaque sync token (Google Calendar's {@code syncToken}, Microsoft Graph's
 * delta link): a listing without a token is everything, and its last page ends with the token that asks, next time,
 * for what changed since.
 */
public interface SyncTokenFeed extends AppointmentFeed {

    /** The first page of a listing from {@code token}; null or empty: a full listing. A 410 means the token expired. */
    SourcePage list(String token) throws SourceFetchException;

    /** The sync token the last page read carried, or null. */
    String syncToken();
}
