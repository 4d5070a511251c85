package dev.appointmentbridge.diff;

import java.time.Duration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.snapshot.Snapshot;
import dev.appointmentbridge.source.AppointmentRecord;

/**
 * The design's rule table, as a pure function of (snapshot, record): no I/O, no clock. Records older than
 * their snapshot (out-of-order pages, overlapping cursor) and records whose content hash is unchanged
 * produce nothing, which makes repeated polls idempotent.
 */
public final class DiffRules {

    private DiffRules() {
    }

    /**
     * @param previous this appointment's snapshot, or null when first seen
     * @param replaced snapshot of the appointment {@code current} was rebooked from, or null
     */
    /** The default cursor overlap: a versionId that went back is a reset when dated later by more than this. */
    public static final Duration DEFAULT_VERSION_RESET = Duration.ofSeconds(2);

    public static Change derive(Snapshot previous, AppointmentRecord current, Snapshot replaced) {
        return derive(previous, current, replaced, DEFAULT_VERSION_RESET);
    }

    /**
     * @param versionReset how much later than the snapshot a record with a lower versionId must be dated to be a
     *                     new life of the resource (re-created after a delete, renumbered by a migration), not an
     *                     older version (the source's cursor overlap)
     */
    public static Change derive(Snapshot previous, AppointmentRecord current, Snapshot replaced,
            Duration versionReset) {
        if (previous != null && isOlder(current, previous, versionReset)) {
            return new Change(null, current, previous, null);
        }
        String hash = contentHash(current);
        if (previous != null && hash.equals(previous.contentHash())) {
            return new Change(null, current, previous, null);
        }
        StatusClass now = StatusClass.of(current.status());
        if (previous == null) {
            Snapshot next = snapshot(current, hash, null);
            if (now != StatusClass.ACTIVE) {
                return new Change(null, current, null, next); // first seen already over: nothing to announce
            }
            return replaced != null
                    ? new Change(EventType.RESCHEDULED, current, replaced, next)
                    : new Change(EventType.SCHEDULED, current, null, next);
        }
        StatusClass before = StatusClass.of(previous.status());
        EventType event = switch (now) {
            // A rebooked appointment's cancellation is part of its reschedule, not a cancellation.
            case CANCELLED -> before != StatusClass.CANCELLED && previous.replacedById() == null
                    ? EventType.CANCELLED : null;
            case NO_SHOW -> before != StatusClass.NO_SHOW ? EventType.NO_SHOW : null;
            case FULFILLED -> before != StatusClass.FULFILLED ? EventType.COMPLETED : null;
            case ACTIVE -> switch (before) {
                case ACTIVE -> timeOrPlaceChanged(previous, current) ? EventType.RESCHEDULED : null;
                // Booked again after a cancellation, no-show or completion: for a receiver it is scheduled again.
                case CANCELLED, NO_SHOW, FULFILLED -> EventType.SCHEDULED;
                default -> null;
            };
            case OTHER -> null;
        };
        // A rebooked appointment that changes again in its own right is live for receivers once more: its
        // later cancellation is its own, no longer folded into the rebooking.
        Snapshot next = snapshot(current, hash, event == null ? previous.replacedById() : null);
        return new Change(event, current, event == EventType.RESCHEDULED ? previous : null, next);
    }

    public static boolean timeOrPlaceChanged(Snapshot previous, AppointmentRecord current) {
        return !Objects.equals(previous.start(), current.start())
                || !Objects.equals(previous.end(), current.end())
                || !Objects.equals(previous.durationMinutes(), current.durationMinutes())
                || !Objects.equals(previous.providerId(), current.providerId())
                || !Objects.equals(previous.locationId(), current.locationId());
    }

    /**
     * Whether {@code current} is an older version than the snapshot's: by version number where both have one (a
     * server whose nodes' clocks drift may date version 2 before version 1, which must not drop it), else by
     * lastUpdated.
     */
    private static boolean isOlder(AppointmentRecord current, Snapshot previous, Duration versionReset) {
        if (current.versionId() != null && previous.versionId() != null) {
            return current.versionId() < previous.versionId() && !isVersionReset(current, previous, versionReset);
        }
        return current.lastUpdated() != null && previous.lastUpdated() != null
                && current.lastUpdated().isBefore(previous.lastUpdated());
    }

    /** Whether the record's versionId is lower than the snapshot's (a reset, or an older version). */
    public static boolean versionWentBack(Snapshot previous, AppointmentRecord current) {
        return previous != null && current.versionId() != null && previous.versionId() != null
                && current.versionId() < previous.versionId();
    }

    /**
     * A lower versionId dated later than the snapshot by more than the overlap: the resource's versions restarted
     * (re-created after a delete, renumbered by a migration), so it is newer, not older; within the overlap the
     * dates cannot tell, and the version number stands.
     */
    public static boolean isVersionReset(AppointmentRecord current, Snapshot previous, Duration versionReset) {
        return current.lastUpdated() != null && previous.lastUpdated() != null
                && current.lastUpdated().isAfter(previous.lastUpdated().plus(versionReset));
    }

    private static String millis(java.time.Instant instant) {
        return instant == null ? "-" : Long.toString(instant.toEpochMilli());
    }

    public static Snapshot snapshot(AppointmentRecord r, String hash, String replacedById) {
        return new Snapshot(r.id(), r.status(), r.start(), r.end(), r.durationMinutes(), r.providerId(),
                r.locationId(), r.patientId(), r.replacesId(), replacedById, hash, r.lastUpdated(), r.versionId());
    }

    /** Hash of the fields events are made of; meta.lastUpdated alone changing is not a change. */
    public static String contentHash(AppointmentRecord r) {
        // Epoch millis, not Instant.toString(): formatting dates dominated the first-sync profile.
        String joined = r.status() + '|' + millis(r.start()) + '|' + millis(r.end()) + '|' + r.durationMinutes() + '|'
                + r.providerId() + '|' + r.locationId() + '|' + r.patientId() + '|' + r.replacesId();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
