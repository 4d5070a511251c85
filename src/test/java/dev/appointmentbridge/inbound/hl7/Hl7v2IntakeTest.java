package dev.appointmentbridge.inbound.hl7;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** SIU messages over MLLP and HTTP, as an interface engine sends them: resends, garbage, oversize, stalls. */
@QuarkusTest
@TestProfile(Hl7v2Profile.class)
class Hl7v2IntakeTest {

    @Inject
    MllpListener listener;

    @Inject
    Hl7v2Intake intake;

    static String siu(String trigger, String controlId, String appointmentId, String start, String end) {
        return String.join("\r",
                "MSH|^~\\&|EPIC|CLINIC|BRIDGE|BRIDGE|20261204093000||SIU^" + trigger + "^SIU_S12|" + controlId
                        + "|P|2.5",
                "SCH|PL-" + appointmentId + "|" + appointmentId + "||||||ROUTINE|30|MIN|^^30^" + start + "^" + end,
                "PID|1||PAT-7^^^MRN||Doe^Jane",
                "RGS|1",
                "AIS|1||CONSULT^Consultation|" + start + "|||30|MIN",
                "AIL|1||ROOM-3^^^CLINIC",
                "AIP|1||DR-1^Smith^John") + "\r";
    }

    static byte[] frame(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x0B);
        out.writeBytes(message.getBytes(StandardCharsets.UTF_8));
        out.write(0x1C);
        out.write(0x0D);
        return out.toByteArray();
    }

    /** Reads one framed answer; null when the connection closed first. */
    static String readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int b;
        boolean started = false;
        while ((b = in.read()) != -1) {
            if (!started) {
                started = b == 0x0B;
                continue;
            }
            if (b == 0x1C) {
                in.read(); // the CR
                return got.toString(StandardCharsets.ISO_8859_1);
            }
            got.write(b);
        }
        return null;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", listener.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private String send(Socket socket, String message) throws IOException {
        socket.getOutputStream().write(frame(message));
        socket.getOutputStream().flush();
        return readFrame(socket.getInputStream());
    }

    private static JsonPath events(String appointmentId) {
        return given().queryParam("appointment_id", appointmentId).get("/webhook/events").then().statusCode(200)
                .extract().jsonPath();
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void s12S13S15AndS26EachBecomeOneEventAfterAnAa() throws Exception {
        String apt = id("A");
        try (Socket socket = connect()) {
            String ack = send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000"));
            assertTrue(ack.contains("MSA|AA|"), ack);
            assertTrue(send(socket, siu("S13", id("C"), apt, "20261211140000", "20261211143000")).contains("MSA|AA"));
            assertTrue(send(socket, siu("S15", id("C"), apt, "20261211140000", "20261211143000")).contains("MSA|AA"));
            assertTrue(send(socket, siu("S26", id("C"), apt, "20261211140000", "20261211143000")).contains("MSA|AA"));
        }
        JsonPath events = events(apt);
        assertEquals(List.of("appointment.no_show", "appointment.cancelled", "appointment.rescheduled",
                "appointment.scheduled"), events.getList("events.event_type"));
        assertEquals("2026-12-10T09:30:00Z", events.getString("events[3].payload.appointment.start"));
        assertEquals("2026-12-10T10:00:00Z", events.getString("events[3].payload.appointment.end"));
        assertEquals(30, events.getInt("events[3].payload.appointment.duration_minutes"));
        assertEquals("DR-1", events.getString("events[3].payload.appointment.provider_id"));
        assertEquals("ROOM-3", events.getString("events[3].payload.appointment.location_id"));
        assertEquals("PAT-7", events.getString("events[3].patient_id"));
        assertEquals("2026-12-11T13:00:00Z", events.getString("events[2].payload.appointment.start"));
        assertEquals("2026-12-10T09:30:00Z", events.getString("events[2].payload.previous.start"));
    }

    @Test
    void aResendIsAcknowledgedAndStoredOnce() throws Exception {
        String apt = id("R");
        String message = siu("S12", id("C"), apt, "20261210103000", "20261210110000");
        try (Socket socket = connect()) {
            assertTrue(send(socket, message).contains("MSA|AA"));
        }
        try (Socket again = connect()) { // a new connection, as an engine resends after a lost ACK
            String ack = send(again, message);
            assertTrue(ack.contains("MSA|AA"), ack);
        }
        assertEquals(1, events(apt).getList("events").size());
    }

    @Test
    void garbageGetsArAndStoresNothingAndTheConnectionGoesOn() throws Exception {
        String apt = id("G");
        try (Socket socket = connect()) {
            socket.getOutputStream().write("noise outside any frame\r\n".getBytes(StandardCharsets.US_ASCII));
            String ack = send(socket, "this is not HL7\r");
            assertTrue(ack.contains("MSA|AE"), ack);
            String broken = siu("S12", "CTRL-G", apt, "2026121", "20261210110000"); // a start that is no time
            String refused = send(socket, broken);
            assertTrue(refused.contains("MSA|AE|CTRL-G\r"), refused);
            // a stray start byte before a real frame: the real message is taken
            socket.getOutputStream().write(new byte[] { 0x0B, 'x', 'y' });
            assertTrue(refused.contains("SCH-11.4"), refused);
            assertTrue(send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000"))
                    .contains("MSA|AA"), "the same connection takes the next message");
        }
        assertEquals(1, events(apt).getList("events").size());
    }

    @Test
    void anOversizedMessageIsRefusedAndItsConnectionClosed() throws Exception {
        try (Socket socket = connect()) {
            String big = siu("S12", "BIG", id("B"), "20261210103000", "20261210110000") + "NTE|1||"
                    + "x".repeat(10_000) + "\r";
            OutputStream out = socket.getOutputStream();
            out.write(frame(big));
            String ack = readFrame(socket.getInputStream());
            assertTrue(ack != null && ack.contains("MSA|AE") && ack.contains("max-message-bytes"), ack);
            assertEquals(-1, socket.getInputStream().read(), "closed");
        }
    }

    @Test
    void aMessageNeverFinishedClosesItsConnectionWithoutBlockingOthers() throws Exception {
        try (Socket stalled = connect()) {
            stalled.getOutputStream().write(new byte[] { 0x0B, 'M', 'S', 'H' });
            try (Socket other = connect()) {
                assertTrue(send(other, siu("S12", id("C"), id("O"), "20261210103000", "20261210110000"))
                        .contains("MSA|AA"), "another sender is served meanwhile");
            }
            assertEquals(-1, stalled.getInputStream().read(), "closed after the idle timeout");
        }
    }

    @Test
    void aResendWithoutMsh7OrAfterALaterMessageIsStillTheSameMessage() throws Exception {
        String apt = id("E");
        String s14 = siu("S14", id("C"), apt, "20261210113000", "20261210120000")
                .replace("|20261204093000||SIU", "|||SIU"); // no MSH-7
        try (Socket socket = connect()) {
            assertTrue(send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000")).contains("AA"));
            assertTrue(send(socket, s14).contains("MSA|AA"));
            assertTrue(send(socket, siu("S15", id("C"), apt, "20261210113000", "20261210120000")).contains("AA"));
            String again = send(socket, s14); // its ACK was lost; a cancellation came in between
            assertTrue(again.contains("MSA|AA"), again);
        }
        assertEquals(List.of("appointment.cancelled", "appointment.rescheduled", "appointment.scheduled"),
                events(apt).getList("events.event_type"));
    }

    @Test
    void anUnchangedS14IsStoredButNotAnEvent() throws Exception {
        String apt = id("M");
        try (Socket socket = connect()) {
            assertTrue(send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000")).contains("AA"));
            assertTrue(send(socket, siu("S14", id("C"), apt, "20261210103000", "20261210110000")).contains("AA"));
            assertTrue(send(socket, siu("S14", id("C"), apt, "20261210113000", "20261210120000")).contains("AA"));
        }
        assertEquals(List.of("appointment.rescheduled", "hl7v2.SIU^S14", "appointment.scheduled"),
                events(apt).getList("events.event_type"));
    }

    /** Facility B's reschedule of its own A200 never carries facility A's A200 (its patient, its provider). */
    @Test
    void eachSenderIsItsOwnIdSpaceAndSource() throws Exception {
        String apt = id("A200");
        String fromA = siu("S12", id("C"), apt, "20261210103000", "20261210110000");
        String fromB = siu("S13", id("C"), apt, "20261211140000", "20261211143000").replace("|EPIC|CLINIC|",
                "|EPIC|NORTH|").replace("PAT-7", "PAT-9").replace("DR-1", "DR-2");
        try (Socket socket = connect()) {
            assertTrue(send(socket, fromA).contains("MSA|AA"));
            assertTrue(send(socket, fromB).contains("MSA|AA"));
        }
        JsonPath events = events(apt);
        assertEquals(List.of("hl7v2:EPIC^NORTH", "hl7v2:EPIC^CLINIC"), events.getList("events.source"));
        assertEquals("PAT-9", events.getString("events[0].patient_id"));
        assertTrue(events.get("events[0].payload.previous") == null, "no previous from another sender");
        assertEquals("hl7v2:EPIC^NORTH", events.getString("events[0].payload.source"));
    }

    /**
     * A NUL in an id was refused by PostgreSQL on every try and answered AR ("send it again"), so an engine's queue
     * stopped behind it; control and bidirectional characters and decoded delimiters were stored and logged as they
     * are. Each is an AE naming the field (ERR-3 102), nothing stored, and the connection goes on.
     */
    @Test
    void idsTheBridgeCannotStoreOrLogAreAnAeNamingTheField() throws Exception {
        String apt = id("N");
        try (Socket socket = connect()) {
            String nul = send(socket, siu("S12", id("C"), apt + "\u0000x".translateEscapes(), "20261210103000",
                    "20261210110000"));
            assertTrue(nul.contains("MSA|AE") && nul.contains("SCH-2") && nul.contains("102"), nul);
            String bidi = send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000")
                    .replace("PAT-7", "PAT-\u202E7".translateEscapes()));
            assertTrue(bidi.contains("MSA|AE") && bidi.contains("PID-3"), bidi);
            String escaped = send(socket, siu("S12", id("C"), apt + "\\F\\1", "20261210103000",
                    "20261210110000"));
            assertTrue(escaped.contains("MSA|AE") && escaped.contains("SCH-2"), escaped);
            String control = send(socket, siu("S12", id("C") + "\u0007z".translateEscapes(), apt, "20261210103000",
                    "20261210110000"));
            assertTrue(control.contains("MSA|AE") && control.contains("MSH-10"), control);
            // at either end too (before: trimmed away and stored, "A\0" as "A", "\0EPIC" merged into EPIC)
            String trailing = send(socket, siu("S12", id("C"), apt + "\u0000".translateEscapes(), "20261210103000",
                    "20261210110000"));
            assertTrue(trailing.contains("MSA|AE") && trailing.contains("SCH-2"), trailing);
            String leading = send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000")
                    .replace("|EPIC|", "|\u0001EPIC|".translateEscapes()));
            assertTrue(leading.contains("MSA|AE") && leading.contains("MSH-3"), leading);
            assertTrue(send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000"))
                    .contains("MSA|AA"), "the connection goes on");
        }
        assertEquals(1, events(apt).getList("events").size());
    }

    /** A control id reused with other content and another MSH-7 is a new message (before: AE, the change lost). */
    @Test
    void aReusedControlIdWithAnotherMsh7IsANewMessageTheSameMsh7IsADuplicateKey() throws Exception {
        String apt = id("U");
        String control = id("C");
        String first = siu("S12", control, apt, "20261210103000", "20261210110000");
        String reused = siu("S15", control, apt, "20261210103000", "20261210110000").replace("20261204093000",
                "20261205120000");
        String sameTime = siu("S26", control, apt, "20261210103000", "20261210110000");
        double reusedBefore = reusedControlIds();
        try (Socket socket = connect()) {
            assertTrue(send(socket, first).contains("MSA|AA"));
            String ack = send(socket, reused);
            assertTrue(ack.contains("MSA|AA"), ack);
            assertTrue(send(socket, reused).contains("MSA|AA"), "its resend");
            assertTrue(send(socket, reused.replace("20261205120000", "20261205121500")).contains("MSA|AA"),
                    "its resend stamped again: the same message (before: stored a third time)");
            assertTrue(send(socket, first.replace("20261204093000", "20261204093500")).contains("MSA|AA"),
                    "a resend its engine stamped again (MSH-7) is the same message");
            String conflict = send(socket, sameTime);
            assertTrue(conflict.contains("MSA|AE") && conflict.contains("205"), conflict);
        }
        assertEquals(List.of("appointment.cancelled", "appointment.scheduled"), events(apt).getList("events.event_type"));
        assertEquals(reusedBefore + 1, reusedControlIds());
    }

    private static double reusedControlIds() {
        String metrics = dev.appointmentbridge.support.Management.given().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("bridge_hl7v2_reused_control_ids_total ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return 0;
    }

    /**
     * A cloned channel: two channels of one engine number their messages alike and send at once. Each message
     * looked for its control id before either was stored, so the second was refused as a duplicate key (AE 205) and
     * lost; now the key is looked up again and the second is stored as a reused control id.
     */
    @Test
    void twoChannelsSendingTheSameControlIdsAtOnceAreBothStored() throws Exception {
        String run = id("K");
        List<String> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String control = run + "-" + i;
            messages.add(siu("S12", control, run + "-a" + i, "20261210103000", "20261210110000"));
            messages.add(siu("S12", control, run + "-b" + i, "20261211103000", "20261211110000")
                    .replace("20261204093000", "20261204093100"));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> acks = new java.util.ArrayList<>();
            for (String m : messages) {
                acks.add(pool.submit(() -> intake.receive(m).toCompletableFuture().get(30,
                        java.util.concurrent.TimeUnit.SECONDS).er7()));
            }
            for (java.util.concurrent.Future<String> ack : acks) {
                String answer = ack.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(answer.contains("MSA|AA"), answer.replace('\r', '/'));
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 16; i++) {
            assertEquals(1, events(run + "-a" + i).getList("events").size(), "a" + i);
            assertEquals(1, events(run + "-b" + i).getList("events").size(), "b" + i);
        }
    }

    /** HAPI's default id generator wrote a counter file into the working directory; ACK ids repeated across pods. */
    @Test
    void acknowledgementIdsNeedNoFileAndDoNotRepeat() throws Exception {
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("id_file"));
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                String ack = send(socket, siu("S12", id("C"), id("I"), "20261210103000", "20261210110000"));
                ids.add(ack.split("\r")[0].split("\\|")[9]);
            }
        }
        assertEquals(3, ids.size(), "three different ACK control ids: " + ids);
        assertTrue(ids.stream().allMatch(i -> i.matches("[0-9a-f]{20}")),
                "random ids, not a per-process counter that another pod repeats: " + ids);
        assertTrue(!java.nio.file.Files.exists(java.nio.file.Path.of("id_file")), "no id_file written");
    }

    /**
     * ER7 as engines write it: a line feed inside a field of a CR-delimited message is content, not a break (before:
     * the SCH segment was cut at SCH-7 and the message refused); one that starts a segment is a break.
     */
    @Test
    void aLineFeedInsideAFieldIsContentOneBeforeASegmentIsABreak() throws Exception {
        String apt = id("L");
        String message = String.join("\r",
                "MSH|^~\\&|EPIC|CLINIC|BRIDGE|BRIDGE|20261204093000||SIU^S12^SIU_S12|" + id("C") + "|P|2.5",
                "SCH|PL-" + apt + "|" + apt + "|||||first line\nsecond line|ROUTINE|30|MIN|^^30^20261210103000^"
                        + "20261210110000") + "\nPID|1||PAT-8^^^MRN\r";
        try (Socket socket = connect()) {
            String ack = send(socket, message);
            assertTrue(ack.contains("MSA|AA"), ack);
            String two = siu("S12", id("C"), id("L"), "20261210103000", "20261210110000") + "\n"
                    + siu("S15", id("C"), id("L"), "20261210103000", "20261210110000");
            String refused = send(socket, two);
            assertTrue(refused.contains("MSA|AE") && refused.contains("2 messages"), "an MSH after a line feed: " + refused);
        }
        JsonPath events = events(apt);
        assertEquals("2026-12-10T09:30:00Z", events.getString("events[0].payload.appointment.start"));
        assertEquals("2026-12-10T10:00:00Z", events.getString("events[0].payload.appointment.end"));
        assertEquals("PAT-8", events.getString("events[0].patient_id"));
    }

    /**
     * MSH-9.3 as senders write it: the trigger's own structure name (SIU_S26 in v2.6 and later, SIU_S13 from some
     * engines), none at all, or an unknown trigger. Before, each was an AE "not an SIU message (GenericMessage...)",
     * although the triggers table says any SIU trigger is stored: HAPI found no v2.5 class of that name.
     */
    @Test
    void everySiuStructureNameAndAnUnknownTriggerAreStored() throws Exception {
        String apt = id("M");
        try (Socket socket = connect()) {
            String ack = send(socket, siu("S12", id("C"), apt, "20261210103000", "20261210110000")
                    .replace("SIU^S12^SIU_S12", "SIU^S12"));
            assertTrue(ack.contains("MSA|AA|"), ack);
            ack = send(socket, siu("S13", id("C"), apt, "20261211140000", "20261211143000")
                    .replace("SIU^S13^SIU_S12", "SIU^S13^SIU_S13"));
            assertTrue(ack.contains("MSA|AA|"), ack);
            ack = send(socket, siu("S99", id("C"), apt, "20261211140000", "20261211143000")
                    .replace("SIU^S99^SIU_S12", "SIU^S99"));
            assertTrue(ack.contains("MSA|AA|"), ack);
            ack = send(socket, siu("S26", id("C"), apt, "20261211140000", "20261211143000")
                    .replace("SIU^S26^SIU_S12", "SIU^S26^SIU_S26").replace("|P|2.5", "|P|2.6"));
            assertTrue(ack.contains("MSA|AA|"), ack);
        }
        assertEquals(List.of("appointment.no_show", "hl7v2.SIU^S99", "appointment.rescheduled",
                "appointment.scheduled"), events(apt).getList("events.event_type"));
    }

    /** The trigger is stored in the event type and logged: letters and digits only (a line feed forged log lines). */
    @Test
    void aTriggerThatIsNotLettersAndDigitsIsAnAe() throws Exception {
        try (Socket socket = connect()) {
            String ack = send(socket, siu("S12", id("C"), id("G"), "20261210103000", "20261210110000")
                    .replace("SIU^S12^SIU_S12", "SIU^S99\u202Ex^SIU_S12".translateEscapes()));
            assertTrue(ack.contains("MSA|AE") && ack.contains("MSH-9.2"), ack);
        }
    }

    /** A v2.7 message (MSH-2 with the truncation character) is acknowledged with MSA-2 and MSH-5/6 echoed. */
    @Test
    void aV27MessageIsAcknowledgedWithItsControlIdAndSender() throws Exception {
        String apt = id("V");
        String control = id("C");
        String message = siu("S12", control, apt, "20261210103000", "20261210110000").replace("MSH|^~\\&|", "MSH|^~\\&#|")
                .replace("|P|2.5", "|P|2.7");
        try (Socket socket = connect()) {
            String ack = send(socket, message);
            assertTrue(ack.contains("MSA|AA|" + control), ack);
            String[] msh = ack.split("\r")[0].split("\\|", -1);
            assertEquals("EPIC", msh[4], ack);
            assertEquals("CLINIC", msh[5], ack);
        }
        assertEquals(1, events(apt).getList("events").size());
    }

    /**
     * A booking and its cancellation in one frame: before, one AA and the cancellation silently dropped (the parser
     * filed its segments into the first message). Now the whole frame is refused, naming why, and nothing is stored.
     */
    @Test
    void twoMessagesInOneFrameAreRefusedTogether() throws Exception {
        String apt = id("F");
        String both = siu("S12", id("C"), apt, "20261210103000", "20261210110000")
                + siu("S15", id("C"), apt, "20261210103000", "20261210110000");
        String batch = "FHS|^~\\&|EPIC|CLINIC\rBHS|^~\\&|EPIC|CLINIC\r" + both + "BTS|2\rFTS|1\r";
        try (Socket socket = connect()) {
            String ack = send(socket, both);
            assertTrue(ack.contains("MSA|AE") && ack.contains("2 messages"), ack);
            String batchAck = send(socket, batch);
            assertTrue(batchAck.contains("MSA|AE") && batchAck.contains("batch"), batchAck);
        }
        assertEquals(0, events(apt).getList("events").size());
    }

    /** Times given only in TQ1 (SCH-11 empty) are the appointment's start and end (before: start null). */
    @Test
    void timesFromTq1WhenSch11IsEmpty() throws Exception {
        String apt = id("T");
        String message = String.join("\r",
                "MSH|^~\\&|EPIC|CLINIC|BRIDGE|BRIDGE|20261204093000||SIU^S12^SIU_S12|" + id("C") + "|P|2.5",
                "SCH|PL-" + apt + "|" + apt + "||||||ROUTINE|30|MIN",
                "TQ1|1||||||20261210103000|20261210110000",
                "PID|1||PAT-7^^^MRN") + "\r";
        try (Socket socket = connect()) {
            String ack = send(socket, message);
            assertTrue(ack.contains("MSA|AA"), ack);
        }
        JsonPath events = events(apt);
        assertEquals("2026-12-10T09:30:00Z", events.getString("events[0].payload.appointment.start"));
        assertEquals("2026-12-10T10:00:00Z", events.getString("events[0].payload.appointment.end"));
    }

    @Test
    void overHttpBehindTheInboundKey() {
        String apt = id("H");
        String message = siu("S12", id("C"), apt, "20261210103000", "20261210110000");
        // a refusal an HL7 sender can read (before: the JSON error of the other pushes): AR, keep it for later
        given().contentType("x-application/hl7-v2+er7").body(message.getBytes(StandardCharsets.UTF_8)).post("/webhook/hl7v2")
                .then().statusCode(401).contentType(containsString("hl7-v2")).body(containsString("MSA|AR"))
                .body(containsString("API key"));
        given().header("X-API-Key", Hl7v2Profile.KEY).contentType("x-application/hl7-v2+er7").body(message.getBytes(StandardCharsets.UTF_8))
                .post("/webhook/hl7v2").then().statusCode(200).contentType(containsString("hl7-v2"))
                .body(containsString("MSA|AA"));
        given().header("X-API-Key", Hl7v2Profile.KEY).contentType("x-application/hl7-v2+er7").body("garbage".getBytes(StandardCharsets.UTF_8))
                .post("/webhook/hl7v2").then().statusCode(400).body(containsString("MSA|AE"));
        // none of an unreadable message is echoed (HAPI's reason quoted its first 50 characters)
        given().header("X-API-Key", Hl7v2Profile.KEY).contentType("x-application/hl7-v2+er7")
                .body("Jane Doe 1970-01-01 no header".getBytes(StandardCharsets.UTF_8)).post("/webhook/hl7v2").then()
                .statusCode(400).body(containsString("MSA|AE")).body(org.hamcrest.Matchers.not(containsString("Jane")));
        given().header("X-API-Key", Hl7v2Profile.KEY).contentType("x-application/hl7-v2+er7")
                .body(message.replace("20261210103000", "20260329023000").getBytes(StandardCharsets.UTF_8)).post("/webhook/hl7v2").then()
                .statusCode(400).body(containsString("does not exist in Europe/Berlin"));
        assertEquals(1, events(apt).getList("events").size());
    }

    /**
     * Refusals over HTTP are HL7 ACKs: a wrong media type is a 415 naming the HL7 types (before: a JSON "must be
     * application/json"), and the limit is max-message-bytes (8192 in this profile), a 413, not the JSON pushes'.
     */
    @Test
    void overHttpEveryRefusalIsAnAckNamingTheHl7Limits() {
        String message = siu("S12", id("C"), id("H"), "20261210103000", "20261210110000");
        given().header("X-API-Key", Hl7v2Profile.KEY).contentType("application/json")
                .body(message.getBytes(StandardCharsets.UTF_8)).post("/webhook/hl7v2").then().statusCode(415)
                .contentType(containsString("hl7-v2")).body(containsString("MSA|AE"))
                .body(containsString("x-application/hl7-v2+er7 or application/hl7-v2"));
        String large = message + "NTE|1||" + "x".repeat(9000) + "\r";
        given().header("X-API-Key", Hl7v2Profile.KEY).contentType("x-application/hl7-v2+er7")
                .body(large.getBytes(StandardCharsets.UTF_8)).post("/webhook/hl7v2").then().statusCode(413)
                .contentType(containsString("hl7-v2")).body(containsString("MSA|AE"))
                .body(containsString("max-message-bytes"));
    }
}
