package dev.appointmentbridge.inbound;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/** The receiving contract, end to end over HTTP against the real PostgreSQL. */
@QuarkusTest
class InboundEventResourceTest {

    @Inject
    DataSource dataSource;

    static String body(String type, String appointmentId, String patientId, String timestamp) {
        return """
                {"event_type":"%s","appointment_id":"%s","patient_id":"%s","timestamp":"%s"}
                """.formatted(type, appointmentId, patientId, timestamp);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/webhook/appointment").then();
    }

    /** Issue 24: "event_type" twice was stored with the last value, though others may have read the first. */
    @Test
    void aKeySentTwiceIs422NamingIt() {
        given().contentType(ContentType.JSON).body("""
                {"event_type": "appointment.scheduled", "appointment_id": "dup-key-1", "patient_id": "p-1",
                 "timestamp": "2025-01-10T12:30:00Z", "event_type": "appointment.cancelled"}""")
                .post("/webhook/appointment").then().statusCode(422)
                .body("errors[0].loc", org.hamcrest.Matchers.contains("body", "event_type"))
                .body("errors[0].type", equalTo("duplicate_key"));
        given().queryParam("appointment_id", "dup-key-1").get("/webhook/events").then().statusCode(200)
                .body("count", equalTo(0));
    }

    /** Issue 24: with no bridge.inbound.canvas.zone (this profile), a zone-less Canvas time is never read as UTC. */
    @Test
    void aZoneLessCanvasTimeWithoutTheZoneSettingIs422NamingIt() {
        given().contentType(ContentType.JSON).body("""
                {"event_type": "appointment_created",
                 "appointment": {"id": "cv-nozone-1", "start_time": "2024-01-15T10:00:00", "duration_minutes": 30},
                 "timestamp": "2024-01-10T09:00:00Z"}""").post("/webhook/canvas").then().statusCode(422)
                .body("errors[0].loc", org.hamcrest.Matchers.contains("body", "appointment", "start_time"))
                .body("errors[0].type", org.hamcrest.Matchers.equalTo("timezone_setting_missing"))
                .body("errors[0].msg", org.hamcrest.Matchers.containsString("bridge.inbound.canvas.zone"));
    }

    @ParameterizedTest
    @CsvSource({
            "appointment.scheduled,2025-01-10T12:30:00Z",
            "appointment.cancelled,2025-01-10T12:30:00+05:30",
            "appointment.rescheduled,2025-01-10T12:30:00-08:00",
            "appointment.completed,2025-01-10T12:30:00.250Z",
            "appointment.no_show,2025-01-10T12:30:00+00:00" })
    void storesEveryValidEventTypeAndAnswersTheExactReceipt(String type, String timestamp) throws Exception {
        String appointmentId = unique("apt");
        long eventId = post(body(type, appointmentId, "pat-1", timestamp))
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("status", equalTo("success"))
                .body("message", equalTo("Event received and stored successfully"))
                .body("received_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"))
                .body("data.event_type", equalTo(type))
                .body("data.appointment_id", equalTo(appointmentId))
                .body("data.patient_id", equalTo("pat-1"))
                .body("keySet()", containsInAnyOrder("status", "message", "event_id", "received_at", "data"))
                .body("data.keySet()", containsInAnyOrder("event_type", "appointment_id", "patient_id"))
                .extract().jsonPath().getLong("event_id");

        // A 201 means committed: the row is visible to a separate connection right away.
        assertEquals(type, storedType(eventId));
    }

    @Test
    void notesAreOptionalUpTo1000Characters() {
        String notes = "n".repeat(1000);
        post("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p","timestamp":"2025-01-10T12:30:00Z","notes":"%s"}
                """.formatted(unique("apt"), notes)).statusCode(201);
        post("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p","timestamp":"2025-01-10T12:30:00Z","notes":null}
                """.formatted(unique("apt"))).statusCode(201);
    }

    @Test
    void missingFieldsAreAllListed() {
        post("{}").statusCode(422)
                .body("status", equalTo("error"))
                .body("message", equalTo("Invalid payload structure"))
                .body("errors", hasSize(4))
                .body("errors.loc", containsInAnyOrder(List.of("body", "event_type"), List.of("body", "appointment_id"),
                        List.of("body", "patient_id"), List.of("body", "timestamp")))
                .body("errors.type", containsInAnyOrder("missing", "missing", "missing", "missing"));
    }

    @Test
    void everyBadFieldIsListedAtOnce() {
        post("""
                {"event_type":"appointment.moved","appointment_id":"","patient_id":"%s","timestamp":"1704888600","notes":"%s"}
                """.formatted("p".repeat(51), "n".repeat(1001)))
                .statusCode(422)
                .body("errors", hasSize(5))
                .body("errors.find { it.loc[1] == 'event_type' }.type", equalTo("literal_error"))
                .body("errors.find { it.loc[1] == 'appointment_id' }.type", equalTo("string_too_short"))
                .body("errors.find { it.loc[1] == 'patient_id' }.type", equalTo("string_too_long"))
                .body("errors.find { it.loc[1] == 'patient_id' }.msg",
                        equalTo("String should have at most 50 characters"))
                .body("errors.find { it.loc[1] == 'timestamp' }.type", equalTo("datetime_parsing"))
                .body("errors.find { it.loc[1] == 'notes' }.type", equalTo("string_too_long"));
    }

    @Test
    void fiftyCharacterIdsAreAcceptedAndFiftyOneAreNot() {
        post(body("appointment.scheduled", "a".repeat(50), "p".repeat(50), "2025-01-10T12:30:00Z")).statusCode(201);
        post(body("appointment.scheduled", "a".repeat(51), "p", "2025-01-10T12:30:00Z")).statusCode(422)
                .body("errors[0].loc", equalTo(List.of("body", "appointment_id")))
                .body("errors[0].type", equalTo("string_too_long"));
        post(body("appointment.scheduled", "a", "", "2025-01-10T12:30:00Z")).statusCode(422)
                .body("errors[0].loc", equalTo(List.of("body", "patient_id")))
                .body("errors[0].type", equalTo("string_too_short"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"2025-01-10 12:30:00\"", "\"01/10/2025 12:30 PM\"", "1704888600",
            "\"2025-01-10T12:30:00\"" })
    void invalidTimestampsAreRejected(String timestamp) {
        post("""
                {"event_type":"appointment.scheduled","appointment_id":"a","patient_id":"p","timestamp":%s}
                """.formatted(timestamp))
                .statusCode(422)
                .body("errors", hasSize(1))
                .body("errors[0].loc", equalTo(List.of("body", "timestamp")))
                .body("errors[0].msg", not(nullValue()));
    }

    @Test
    void unknownEventTypeIsRejected() {
        post(body("appointment.deleted", "a", "p", "2025-01-10T12:30:00Z")).statusCode(422)
                .body("errors[0].loc", equalTo(List.of("body", "event_type")))
                .body("errors[0].type", equalTo("literal_error"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{bad json", "{\"event_type\": }", "{} trailing", "\"just a string\"", "[]", "42", "null" })
    void malformedOrNonObjectBodiesGetA422InTheErrorShape(String raw) {
        post(raw).statusCode(422)
                .body("status", equalTo("error"))
                .body("errors[0].loc[0]", equalTo("body"))
                .body("errors[0].type", not(nullValue()));
    }

    @Test
    void emptyBodyIsA422() {
        given().contentType(ContentType.JSON).when().post("/webhook/appointment").then().statusCode(422)
                .body("errors[0].type", equalTo("missing"));
    }

    @Test
    void wrongContentTypeIsA415InTheErrorShape() {
        given().contentType(ContentType.TEXT).body(body("appointment.scheduled", "a", "p", "2025-01-10T12:30:00Z"))
                .when().post("/webhook/appointment").then().statusCode(415)
                .body("status", equalTo("error"))
                .body("errors[0].loc", equalTo(List.of("header", "Content-Type")));
    }

    /** Issue 15: docs/security.md promises 415 without a Content-Type too; it was a 201. */
    @Test
    void aMissingContentTypeIsA415() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient(); // adds no Content-Type itself
        for (String path : List.of("/webhook/appointment", "/webhook/canvas", "/webhook/clockwise")) {
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + path))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            body("appointment.scheduled", "no-ct", "p", "2025-01-10T12:30:00Z")))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(415, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("\"loc\":[\"header\",\"Content-Type\"]"), r.body());
        }
        given().get("/webhook/events?appointment_id=no-ct").then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void oversizedBodyIsA413InTheErrorShape() {
        String big = """
                {"event_type":"appointment.scheduled","appointment_id":"a","patient_id":"p","timestamp":"2025-01-10T12:30:00Z","pad":"%s"}
                """.formatted("x".repeat(70_000));
        post(big).statusCode(413).body("status", equalTo("error")).body("errors[0].type", equalTo("body_too_large"));
    }

    @Test
    void oversizedChunkedBodyIsA413InTheErrorShape() {
        byte[] big = ("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes();
        given().contentType(ContentType.JSON).body(new java.io.ByteArrayInputStream(big))
                .when().post("/webhook/appointment").then().statusCode(413)
                .body("errors[0].type", equalTo("body_too_large"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "webhook-id", "Idempotency-Key" })
    void aRepeatedRequestIsStoredOnceAndAnsweredWithTheOriginalId(String header) throws Exception {
        String key = unique("key");
        String json = body("appointment.cancelled", unique("apt"), "p", "2025-01-10T12:30:00Z");
        long first = given().contentType(ContentType.JSON).header(header, key).body(json)
                .post("/webhook/appointment").then().statusCode(201).extract().jsonPath().getLong("event_id");
        long second = given().contentType(ContentType.JSON).header(header, key).body(json)
                .post("/webhook/appointment").then().statusCode(200)
                .body("status", equalTo("success"))
                .extract().jsonPath().getLong("event_id");
        assertEquals(first, second);
        assertEquals(1, countByKey(key));
    }

    @Test
    void concurrentDuplicatesAreStoredOnce() throws Exception {
        String key = unique("key");
        String json = body("appointment.scheduled", unique("apt"), "p", "2025-01-10T12:30:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> given().contentType(ContentType.JSON).header("webhook-id", key)
                        .body(json).post("/webhook/appointment").then().extract().jsonPath().getLong("event_id")));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<Long> f : answers) {
                ids.add(f.get());
            }
            assertEquals(1, ids.size(), "every duplicate answered with the same event_id");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, countByKey(key));
    }

    @Test
    void aReusedKeyWithADifferentBodyIsAConflict() throws Exception {
        String key = unique("key");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body("appointment.scheduled", "a1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(201);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body("appointment.cancelled", "a1", "p", "2025-01-10T12:30:00Z"))
                .post("/webhook/appointment").then().statusCode(409)
                .body("errors[0].type", equalTo("idempotency_conflict"));
        assertEquals(1, countByKey(key));
    }

    @Test
    void withoutAnApiKeyConfiguredNoCredentialsAreNeeded() {
        post(body("appointment.scheduled", unique("apt"), "p", "2025-01-10T12:30:00Z")).statusCode(201);
        given().get("/webhook/events").then().statusCode(200);
    }

    private String storedType(long eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT type FROM event WHERE id = ?")) {
            ps.setLong(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private int countByKey(String key) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM event WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Issue 12: values PostgreSQL cannot store are 422s naming the field (they were 503s). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"nul-1\",\"patient_id\":\"p\",\"timestamp\":\"2025-01-10T12:30:00Z\",\"notes\":\"a\\u0000b\"}|notes",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"a\\u0000\",\"patient_id\":\"p\",\"timestamp\":\"2025-01-10T12:30:00Z\"}|appointment_id",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"sur-1\",\"patient_id\":\"p\\ud800\",\"timestamp\":\"2025-01-10T12:30:00Z\"}|patient_id",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"off-1\",\"patient_id\":\"p\",\"timestamp\":\"2025-01-10T12:30:00+16:00\"}|timestamp",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"off-2\",\"patient_id\":\"p\",\"timestamp\":\"2025-01-10T12:30:00-18:00\"}|timestamp",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"y-1\",\"patient_id\":\"p\",\"timestamp\":\"+10000-01-10T12:30:00Z\"}|timestamp",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"y-2\",\"patient_id\":\"p\",\"timestamp\":\"0000-01-10T12:30:00Z\"}|timestamp",
            "{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"y-3\",\"patient_id\":\"p\",\"timestamp\":\"9999-12-31T23:30:00-01:00\"}|timestamp" })
    void valuesPostgresCannotStoreAre422NamingTheField(String json, String field) {
        post(json).statusCode(422).body("errors[0].loc[1]", equalTo(field));
    }

    /** Review of issue 12: ids are logged, so line breaks and bidi overrides in them could forge log lines. */
    @ParameterizedTest
    @ValueSource(strings = { "a\\nINFO fake", "a\\r\\nb", "rtl\\u202eid", "zw\\u200bsp", "ls\\u2028x", "bel\\u0007" })
    void idsWithControlOrFormattingCharactersAre422(String id) {
        post("{\"event_type\":\"appointment.scheduled\",\"appointment_id\":\"" + id
                + "\",\"patient_id\":\"p\",\"timestamp\":\"2025-01-10T12:30:00Z\"}").statusCode(422)
                .body("errors[0].loc[1]", equalTo("appointment_id"));
    }

    /** Review of issue 12: a filter PostgreSQL cannot use is the client's error, not a 500. */
    @Test
    void aNulInAFilterIs422() {
        given().urlEncodingEnabled(false).get("/webhook/events?patient_id=%00").then().statusCode(422);
        given().urlEncodingEnabled(false).get("/admin/deliveries?target=%00").then().statusCode(422);
    }
}
