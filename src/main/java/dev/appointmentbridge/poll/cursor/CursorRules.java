package dev.appointmentbridge.poll.cursor;

import java.time.Duration;
import java.time.Instant;

import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.SourcePage;

/**
 * How far a search got and where the cursor may go (docs/polling.md, "Poll cycle"; the reasons are on
 * {@link CursorCycle}). Pure functions of a page and times.
 */
public final class CursorRules {

    private CursorRules() {
    }

    /**
     * A search's own time as the cursor may use it: the server's ({@code searchTime}, null when it sent none),
     * capped by the bridge's clock; a server clock ahead then only makes the cursor re-read more.
     */
    public static Instant serverTime(Instant searchTime, Instant now) {
        return searchTime != null && searchTime.isBefore(now) ? searchTime : now;
    }

    /** min(greatest lastUpdated seen, search time) − overlap; never backwards. */
    static Instant advance(Instant current, Instant maxSeen, Instant searchTime, Duration overlap) {
        if (maxSeen == null) {
            return current;
        }
        Instant covered = maxSeen.isAfter(searchTime) ? searchTime : maxSeen;
        Instant candidate = covered.minus(overlap);
        return current == null || candidate.isAfter(current) ? candidate : current;
    }

    /**
     * How far a page got in its search's order, and the keyset of the next page: the greatest
     * meta.lastUpdated no later than the search's time. A record dated later is a newer version served from
     * a cached id list (or dated in the future): it says nothing about where the search's own order stands,
     * and a jump to it would skip records still to come.
     */
    static Instant greatestLastUpdatedBy(SourcePage page, Instant searchTime) {
        Instant max = null;
        for (AppointmentRecord r : page.appointments()) {
            if (r.lastUpdated() != null && !r.lastUpdated().isAfter(searchTime)) {
                max = later(max, r.lastUpdated());
            }
        }
        for (PoisonRecord p : page.poison()) {
            if (p.lastUpdated() != null && !p.lastUpdated().isAfter(searchTime)) {
                max = later(max, p.lastUpdated());
            }
        }
        return max;
    }

    /** Sorted by meta.lastUpdated, ignoring versions newer than the search (see above). */
    static boolean ascending(SourcePage page, Instant searchTime) {
        Instant previous = null;
        for (AppointmentRecord r : page.appointments()) {
            if (r.lastUpdated() == null) {
                return false;
            }
            if (r.lastUpdated().isAfter(searchTime)) {
                continue;
            }
            if (previous != null && r.lastUpdated().isBefore(previous)) {
                return false;
            }
            previous = r.lastUpdated();
        }
        return true;
    }

    /** No record of the page (of those no newer than its search) sorts before {@code from}. */
    static boolean noneBefore(SourcePage page, Instant from, Instant searchTime) {
        for (AppointmentRecord r : page.appointments()) {
            if (r.lastUpdated() == null
                    || !r.lastUpdated().isAfter(searchTime) && r.lastUpdated().isBefore(from)) {
                return false;
            }
        }
        return true;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

    /**
     * Whether a record of the page was written after {@code since} and not after the page's own time: a change
     * made while the cycle read its pages. A version dated later than its page is skewed (a client-supplied
     * meta.lastUpdated), not recent: counting it would hold the cursor for as long as the record exists.
     */
    static boolean writtenBetween(SourcePage page, Instant since, Instant pageTime) {
        for (AppointmentRecord r : page.appointments()) {
            if (r.lastUpdated() != null && r.lastUpdated().isAfter(since) && !r.lastUpdated().isAfter(pageTime)) {
                return true;
            }
        }
        return false;
    }
}
