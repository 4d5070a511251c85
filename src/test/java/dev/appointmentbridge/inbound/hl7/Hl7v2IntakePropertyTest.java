package dev.appointmentbridge.inbound.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * HL7 v2 intake through the real store: random interleavings of three senders (two facilities of one engine and
 * another engine naming one of the same facilities) that use the same appointment ids, with resends (some stamped
 * again with a new MSH-7), control ids reused after an engine restart, messages held back and sent after later ones,
 * and resends of old messages long after. A model of what the intake promises (docs/hl7v2.md) says, for each
 * message, the acknowledgement and whether it is stored; then: every answer is the model's, each source holds
 * exactly the messages the model stored, every event carries its own sender's patient and provider (in
 * {@code previous} too), and replaying each source's events gives each appointment the state of the last message
 * stored for it. Seeded: a failure names the seed ({@code -Dhl7.property.seed=...}).
 */
@QuarkusTest
@TestProfile(Hl7v2Profile.class)
class Hl7v2IntakePropertyTest {

    private static final int SEQUENCES = Integer.getInteger("hl7.property.sequences", 30);
    private static final long BASE_SEED = Long.getLong("hl7.property.seed", 20261207L);
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin"); // Hl7v2Profile's bridge.inbound.hl7v2.zone
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String[][] SENDERS = {{"ENG", "FACA"}, {"ENG", "FACB"}, {"OTHER", "FACA"}};

    @Inject
    Hl7v2Intake intake;

    @Inject
    AgroalDataSource dataSource;

    /** One message as its engine wrote it; {@code msh7} aside, its content decides what a resend is. */
    private record Msg(int sender, String controlId, LocalDateTime msh7, String trigger, String appointment,
            LocalDateTime start) {

        String content() {
            return sender + "|" + controlId + "|" + trigger + "|" + appointment + "|" + start;
        }

        Msg stampedAt(LocalDateTime time) {
            return new Msg(sender, controlId, time, trigger, appointment, start);
        }

        String er7() {
            String[] s = SENDERS[sender];
            String begin = TS.format(start);
            String end = TS.format(start.plusMinutes(30));
            return String.join("\r",
                    "MSH|^~\\&|" + s[0] + "|" + s[1] + "|BRIDGE|BRIDGE|" + TS.format(msh7) + "||SIU^" + trigger
                            + "^SIU_S12|" + controlId + "|P|2.5",
                    "SCH|PL-" + appointment + "|" + appointment + "||||||ROUTINE|30|MIN|^^30^" + begin + "^" + end,
                    "PID|1||PAT" + sender + "-" + appointment + "^^^MRN||Doe^Jane",
                    "RGS|1",
                    "AIS|1||CONSULT^Consultation|" + begin + "|||30|MIN",
                    "AIP|1||DR" + sender + "^Smith^John") + "\r";
        }

        String source() {
            return "hl7v2:" + SENDERS[sender][0] + "^" + SENDERS[sender][1];
        }
    }

    /** What a receiver knows of one appointment of one sender. */
    private record View(String status, String start) {
    }

    /** The intake's promise: which messages are stored, under which key, and what each appointment ends as. */
    private static final class Model {
        /** sender|controlId → the first stored message with it (its MSH-7 decides a conflict) and every content. */
        final Map<String, Msg> firstByKey = new HashMap<>();
        final Map<String, java.util.Set<String>> contentsByKey = new HashMap<>();
        final Map<String, Integer> storedBySource = new HashMap<>();
        final Map<String, View> views = new HashMap<>();

        /** "AA" stored, "AA" resend, or "AE": what the intake must answer. */
        String arrive(Msg m) {
            String key = m.sender() + "|" + m.controlId();
            java.util.Set<String> contents = contentsByKey.computeIfAbsent(key, k -> new java.util.HashSet<>());
            if (contents.contains(m.content())) {
                return "AA"; // a resend: stored once
            }
            Msg first = firstByKey.get(key);
            if (first != null && first.msh7().equals(m.msh7())) {
                return "AE"; // the same control id and MSH-7 for another message: a conflict
            }
            firstByKey.putIfAbsent(key, m);
            contents.add(m.content());
            storedBySource.merge(m.source(), 1, Integer::sum);
            String status = switch (m.trigger()) {
                case "S12", "S13" -> "active";
                case "S26" -> "no_show";
                default -> "cancelled";
            };
            views.put(m.source() + "|" + m.appointment(), new View(status, status.equals("active")
                    ? m.start().atZone(ZONE).toInstant().toString() : null));
            return "AA";
        }
    }

    @Test
    void sendersResendsReusedControlIdsAndLateMessages() throws Exception {
        int checked = 0;
        for (int i = 0; i < SEQUENCES; i++) {
            checkSequence(BASE_SEED + i);
            checked++;
        }
        assertEquals(SEQUENCES, checked);
    }

    private void checkSequence(long seed) throws Exception {
        Random rnd = new Random(seed);
        String prefix = "R" + seed + "-" + Long.toString(System.nanoTime(), 36);
        Model model = new Model();
        List<Msg> sent = new ArrayList<>();
        List<Msg> held = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        int[] counters = new int[SENDERS.length];
        LocalDateTime[] clocks = new LocalDateTime[SENDERS.length];
        Map<String, String> engineState = new HashMap<>(); // what each sender believes: booked or not
        LocalDateTime base = LocalDateTime.of(2026, 12, 10, 9, 0);
        for (int s = 0; s < SENDERS.length; s++) {
            clocks[s] = LocalDateTime.of(2026, 12, 4, 9, 0).plusMinutes(rnd.nextInt(60));
        }
        int count = 15 + rnd.nextInt(40);
        for (int step = 0; step < count; step++) {
            int op = rnd.nextInt(100);
            Msg m;
            if (op < 60 || sent.isEmpty()) {
                int s = rnd.nextInt(SENDERS.length);
                String appointment = prefix + "-A" + rnd.nextInt(3);
                boolean booked = "booked".equals(engineState.get(s + appointment));
                String trigger = !booked ? "S12" : new String[] {"S13", "S13", "S15", "S17", "S26"}[rnd.nextInt(5)];
                engineState.put(s + appointment, trigger.equals("S12") || trigger.equals("S13") ? "booked" : "open");
                clocks[s] = clocks[s].plusMinutes(1);
                m = new Msg(s, prefix + "C" + (++counters[s]), clocks[s], trigger, appointment,
                        base.plusHours(rnd.nextInt(72)));
                if (rnd.nextInt(5) == 0) {
                    held.add(m); // sent after later ones
                    steps.add("hold " + m.controlId() + "@" + s);
                    continue;
                }
            } else if (op < 75 && !held.isEmpty()) {
                m = held.remove(rnd.nextInt(held.size()));
            } else if (op < 92) {
                Msg earlier = sent.get(rnd.nextInt(sent.size()));
                m = rnd.nextBoolean() ? earlier : earlier.stampedAt(clocks[earlier.sender()].plusSeconds(30));
                steps.add("resend");
            } else {
                int s = rnd.nextInt(SENDERS.length);
                counters[s] = 0; // an engine restart: its control ids start over
                clocks[s] = clocks[s].plusMinutes(5);
                steps.add("restart " + s);
                continue;
            }
            String expected = model.arrive(m);
            String ack = intake.receive(m.er7()).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .er7();
            steps.add(m.trigger() + " " + m.controlId() + "@" + m.sender() + " " + m.appointment() + " -> "
                    + (ack.contains("MSA|AA") ? "AA" : ack.contains("MSA|AE") ? "AE" : "other"));
            if (!ack.contains("MSA|" + expected + "|")) {
                fail("seed " + seed + ": expected " + expected + " for " + m + ", got " + ack.replace('\r', '/')
                        + "\nsteps: " + String.join(" | ", steps));
            }
            if (expected.equals("AA")) {
                sent.add(m);
            }
        }
        Map<String, List<String[]>> bySource = events(prefix);
        for (String[] sender : SENDERS) {
            String source = "hl7v2:" + sender[0] + "^" + sender[1];
            int stored = bySource.getOrDefault(source, List.of()).size();
            if (stored != model.storedBySource.getOrDefault(source, 0)) {
                fail("seed " + seed + ": " + source + " holds " + stored + " events, the model stored "
                        + model.storedBySource.getOrDefault(source, 0) + "\nsteps: " + String.join(" | ", steps));
            }
        }
        Map<String, View> views = new HashMap<>();
        for (Map.Entry<String, List<String[]>> e : bySource.entrySet()) {
            int sender = senderOf(e.getKey());
            for (String[] event : e.getValue()) {
                // type, appointment, start, patient, provider, previous patient... see events()
                for (int i = 3; i < event.length; i++) {
                    if (event[i] != null && !event[i].startsWith("PAT" + sender + "-") && !event[i].equals("DR" + sender)) {
                        fail("seed " + seed + ": an event of " + e.getKey() + " carries " + event[i]
                                + ", another sender's\nsteps: " + String.join(" | ", steps));
                    }
                }
                String status = switch (event[0]) {
                    case "appointment.scheduled", "appointment.rescheduled" -> "active";
                    case "appointment.no_show" -> "no_show";
                    default -> "cancelled";
                };
                views.put(e.getKey() + "|" + event[1], new View(status, status.equals("active") ? event[2] : null));
            }
        }
        for (Map.Entry<String, View> expected : model.views.entrySet()) {
            if (!Objects.equals(expected.getValue(), views.get(expected.getKey()))) {
                fail("seed " + seed + ": " + expected.getKey() + " should end " + expected.getValue() + ", a receiver"
                        + " knows " + views.get(expected.getKey()) + "\nsteps: " + String.join(" | ", steps));
            }
        }
    }

    private static int senderOf(String source) {
        for (int s = 0; s < SENDERS.length; s++) {
            if (source.equals("hl7v2:" + SENDERS[s][0] + "^" + SENDERS[s][1])) {
                return s;
            }
        }
        throw new IllegalStateException(source);
    }

    /** Per source, in order: type, appointment, start, patient, provider, previous provider, previous patient. */
    private Map<String, List<String[]>> events(String prefix) throws SQLException {
        Map<String, List<String[]>> bySource = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select source, type, appointment_id, p #>> '{appointment,start}', p #>> '{appointment,patient_id}',
                       p #>> '{appointment,provider_id}', p #>> '{previous,provider_id}', p #>> '{previous,patient_id}',
                       p #>> '{patient,id}'
                  from (select *, payload::jsonb as p from event) e
                 where appointment_id like ? order by id""")) {
            s.setString(1, prefix + "-%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    bySource.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new String[] {r.getString(2),
                            r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7),
                            r.getString(8), r.getString(9)});
                }
            }
        }
        return bySource;
    }
}
