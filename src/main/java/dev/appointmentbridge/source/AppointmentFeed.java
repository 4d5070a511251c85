package dev.appointmentbridge.source;

import java.time.Instant;

/**
 * What a poll cycle reads from a scheduling system. {@link FhirSource} implements it over HTTP; tests put a
 * model server with a search cache behind it. Every method fails with {@link SourceFetchException} on an HTTP
 * error, a timeout, a malformed page, a redirect or a link to another origin.
 */
public interface AppointmentFeed {

    /** First page of appointments with meta.lastUpdated &ge; {@code since} (all when null), oldest first. */
    SourcePage search(Instant since) throws SourceFetchException;

    /** The page {@code page.next()} points at. */
    SourcePage next(SourcePage page) throws SourceFetchException;

    /** First page of {@code Appointment/_history?_since=}; a 4xx means the server does not offer it. */
    HistoryPage history(Instant since) throws SourceFetchException;

    HistoryPage next(HistoryPage page) throws SourceFetchException;

    /** One appointment by id, to confirm a delete. */
    ReadResult read(String id) throws SourceFetchException;
}
