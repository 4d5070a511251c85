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

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The demo's make-believe scheduling system: a small clinic whose front desk books, reschedules,
 * cancels, marks no-shows and completes appointments every few seconds. Synthetic data only.
 */
@ApplicationScoped
public class SimulatedSchedule {

    private static final Logger LOG = Logger.getLogger(SimulatedSchedule.class);
    private static final String[] PRACTITIONERS = { "dr-okafor", "dr-lindqvist", "dr-tanaka" };
    private static final String[] GIVEN = { "Alex", "Sam", "Robin", "Kim", "Jordan", "Riley", "Noa", "Mika" };
    private static final String[] FAMILY = { "Rivera", "Novak", "Haddad", "Moreau", "Sato", "Olsen", "Kaur" };

    /** One appointment version, as the simulated FHIR server serves it. */
    public record Appointment(String id, String status, Instant start, int minutes, String practitioner,
            String patient, String replaces, Instant lastUpdated) {
    }

    private final Map<String, Appointment> appointments = new ConcurrentHashMap<>();
    private final Map<String, String[]> patients = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    // Ids unique per run, so a demo database kept from an earlier run never sees the same id reused.
    private final String run = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
    private final Random random = new Random(42);

    public SimulatedSchedule() {
        for (int i = 0; i < 8; i++) {
            patients.put("pat-" + i, new String[] { GIVEN[i % GIVEN.length], FAMILY[i % FAMILY.length] });
        }
        for (int i = 0; i < 5; i++) {
            book(null);
        }
    }

    @Scheduled(every = "${bridge.demo.change-every:4s}", delayed = "3s")
    synchronized void frontDeskActivity() {
        List<Appointment> open = appointments.values().stream().filter(a -> "booked".equals(a.status())).toList();
        int roll = random.nextInt(100);
        if (open.isEmpty() || roll < 35) {
            Appointment a = book(null);
            LOG.infof("Demo upstream: booked %s", a.id());
            return;
        }
        Appointment a = open.get(random.nextInt(open.size()));
        if (roll < 50) {
            save(new Appointment(a.id(), "booked", a.start().plus(Duration.ofHours(1 + random.nextInt(48))),
                    a.minutes(), a.practitioner(), a.patient(), a.replaces(), null));
            LOG.infof("Demo upstream: moved %s", a.id());
        } else if (roll < 60) {
            save(new Appointment(a.id(), "cancelled", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            Appointment rebooked = book(a);
            LOG.infof("Demo upstream: rebooked %s as %s", a.id(), rebooked.id());
        } else if (roll < 75) {
            save(new Appointment(a.id(), "cancelled", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            LOG.infof("Demo upstream: cancelled %s", a.id());
        } else if (roll < 85) {
            save(new Appointment(a.id(), "noshow", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            LOG.infof("Demo upstream: no-show %s", a.id());
        } else {
            save(new Appointment(a.id(), "fulfilled", a.start(), a.minutes(), a.practitioner(), a.patient(),
                    a.replaces(), null));
            LOG.infof("Demo upstream: completed %s", a.id());
        }
    }

    private Appointment book(Appointment replacing) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2 + random.nextInt(72)));
        String patient = replacing != null ? replacing.patient() : "pat-" + random.nextInt(patients.size());
        return save(new Appointment("apt-" + run + "-" + ids.incrementAndGet(), "booked", start, 15 * (1 + random.nextInt(4)),
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

    public String[] patientName(String id) {
        return patients.get(id);
    }
}
