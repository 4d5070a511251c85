package dev.appointmentbridge.source;

import dev.appointmentbridge.config.SourcesConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A configured scheduling system the poll cycle reads: a FHIR server or a JSON REST API. */
public interface PolledSource extends AppointmentFeed {

    /** How a source finds its changes (docs/polling.md: FHIR {@code cursor} or {@code window}, JSON {@code changed-since} or {@code window}). */
    enum Mode {
        /** A cursor on the records' update time: {@code _lastUpdated}, or a JSON source's {@code fields.updated}. */
        CURSOR,
        /** Every cycle scans the whole window; absence from a complete scan is looked into. */
        WINDOW,
        /**
         * An opaque sync token from the last listing's last page asks for the changes since it; without one (first
         * cycle, or the API answered 410: expired) the whole listing is read and what it lacks is read by id.
         */
        SYNC_TOKEN
    }

    String name();

    SourcesConfig.Source config();

    /** The configured URL, for operators (shown through SafeUrl, which drops credentials and the query). */
    String url();

    /** The URL to show operators (through SafeUrl); a JSON source's template with its placeholders empty. */
    default String displayUrl() {
        return url();
    }

    Mode mode();

    /** How far the cursor is moved back ({@code cursor-overlap}; unset: 2 s, JSON sources 60 s). */
    default Duration cursorOverlap() {
        return config().cursorOverlap().orElse(Duration.ofSeconds(2));
    }

    /** Deletes are read from {@code _history} each cycle (FHIR with {@code detect-deletes=history}). */
    boolean readsHistory();

    /** {@link #read(String)} is available: FHIR always, JSON when {@code item-url} is set. */
    boolean readsById();

    /** The scopes each window scan (and sweep) searches one by one; {@link WindowScope#NONE} alone for one search. */
    List<WindowScope> scopes();

    /** Length of a window slice, or null: the whole window in one search per scope. */
    Duration slice();

    /** Whether a window scan (or sweep) can be run against this source at all. */
    boolean scansWindows();

    /**
     * The reason of a cancellation concluded from a window scan: {@code deleted} (FHIR: the read by id answered
     * 404/410) or {@code removed} (a JSON source).
     */
    String absenceReason();

    /** Window mode: the first page of appointments of {@code scope} starting in [from, to); the rest by {@link #next(SourcePage)}. */
    SourcePage window(WindowScope scope, Instant from, Instant to) throws SourceFetchException;

    /** Until when the source asked (Retry-After) to be left alone, or null. */
    Instant pausedUntil();
}
