package dev.appointmentbridge.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

/**
 * A make-believe scheduling system's front desk: books, reschedules, rebooks, cancels, marks no-shows,
 * completes and (where the system allows it) deletes appointments, one change per call. Synthetic data only.
 * The demo runs two: a FHIR clinic ({@link SimulatedSchedule}) and a JSON practice ({@link SimulatedPractice}).
 */
public class SimulatedFrontDesk {

    private static final Logger LOG = Logger.getLogger(SimulatedFrontDesk.class);
    private static final String[] PRACTITIONERS = { "dr-okafor", "dr-lindqvist", "dr-tanaka" };
    private static final String[] GIVEN = { "Alex", "Sam", "Robin", "Kim", "Jordan", "Riley", "Noa", "Mika" };
    private static final String[] FAMILY = { "Rivera", "Novak", "Haddad", "Moreau", "Sato", "Olsen", "Kaur" };

    /** One appointment version, as the simulated server serves it. */
    public record Appointment(String id, String status, Instant start, int minutes, String practitioner,
            String patient, String replaces, Instant lastUpdated) {
    }

    private final Map<String, Appointment> appointments = new ConcurrentHashMap<>();
    private final Map<String, String[]> patients = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    // Ids unique per run, so a demo database kept from an earlier run never sees the same id reused.
    private final String run = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
    private final Random random;
    private final String name;
    private final boolean deletes;

    /**
     * @param name    in log lines ("clinic", "practice")
     * @param seed    of its choices
     * @param deletes some cancellations delete the appointment outright (gone from every list and read)
     */
    public SimulatedFrontDesk(String name, long seed, boolean deletes) {
        this.name = name;
        this.random = new Random(seed);
        this.deletes = deletes;
        for (int i = 0; i < 8; i++) {
            patients.put("pat-" + i, new String[] { GIVEN[i % GIVEN.length], FAMILY[i % FAMILY.length] });
        }
        for (int i = 0; i < 5; i++) {
            book(null);
        }
    }

    /** One change, as a front desk would make it. */
    public synchronized void activity() {
        List<Appointment> open = appointments.values().stream().filter(a -> "booked".equals(a.status())).toList();
        int roll = random.nextInt(100);
        if (open.isEmpty() || roll < 35) {
            Appointment a = book(null);
            LOG.infof("Demo %s: booked %s", name, a.id());
            return;
        }
        Appointment a = open.get(random.nextInt(open.size()));
        if (roll < 50) {
            save(new Appointment(a.id(), "booked", a.start().plus(Duration.ofHours(1 + random.nextInt(48))),
                    a.minutes(), a.practitioner(), a.patient(), a.replaces(), null));
            LOG.infof("Demo %s: moved %s", name, a.id());
        } else if (roll < 60) {
            save(new Appointment(a.id(), "cancelled", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            Appointment rebooked = book(a);
            LOG.infof("Demo %s: rebooked %s as %s", name, a.id(), rebooked.id());
        } else if (roll < 75 && deletes && roll >= 70) {
            appointments.remove(a.id());
            LOG.infof("Demo %s: deleted %s", name, a.id());
        } else if (roll < 75) {
            save(new Appointment(a.id(), "cancelled", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            LOG.infof("Demo %s: cancelled %s", name, a.id());
        } else if (roll < 85) {
            save(new Appointment(a.id(), "noshow", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            LOG.infof("Demo %s: no-show %s", name, a.id());
        } else {
            save(new Appointment(a.id(), "fulfilled", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            LOG.infof("Demo %s: completed %s", name, a.id());
        }
    }

    private Appointment book(Appointment replacing) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2 + random.nextInt(72)));
        String patient = replacing != null ? replacing.patient() : "pat-" + random.nextInt(patients.size());
        return save(new Appointment(name.substring(0, 3) + "-" + run + "-" + ids.incrementAndGet(), "booked", start, 15 * (1 + random.nextInt(4)),
                PRACTITIONERS[random.nextInt(PRACTITIONERS.length)], patient,
                replacing == null ? null : replacing.id(), null));
    }

    private Appointment save(Appointment a) {
        Appointment stamped = new Appointment(a.id(), a.status(), a.start(), a.minutes(), a.practitioner(),
                a.patient(), a.replaces(), Instant.now());
        appointments.put(a.id(), stamped);
        return stamped;
    }

    /** Appointments updated at or after {@code since}, oldest change first. */
    public List<Appointment> changedSince(Instant since) {
        List<Appointment> found = new ArrayList<>(appointments.values().stream()
                .filter(a -> since == null || !a.lastUpdated().isBefore(since)).toList());
        found.sort(Comparator.comparing(Appointment::lastUpdated).thenComparing(Appointment::id));
        return found;
    }

    /** Appointments starting in [from, to), by start. */
    public List<Appointment> startingIn(Instant from, Instant to) {
        List<Appointment> found = new ArrayList<>(appointments.values().stream()
                .filter(a -> !a.start().isBefore(from) && a.start().isBefore(to)).toList());
        found.sort(Comparator.comparing(Appointment::start).thenComparing(Appointment::id));
        return found;
    }

    /** One appointment, or null when there is none (never booked, or deleted). */
    public Appointment get(String id) {
        return appointments.get(id);
    }

    public String[] patientName(String id) {
        return patients.get(id);
    }
}
