package dev.appointmentbridge.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Field and status mapping of JSON sources (issue 14): what is refused at start, what is quarantined. */
class JsonItemMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> FIELDS = Map.of("id", "/id", "status", "/state", "start", "/at",
            "duration", "/minutes", "provider", "/who/id");
    private static final Map<String, List<String>> STATUSES = Map.of("booked", List.of("Scheduled", "confirmed"),
            "cancelled", List.of("canceled"));

    private final JsonItemMapper mapper = new JsonItemMapper("x", FIELDS, STATUSES);

    @Test
    void anItemIsMappedByPointerWithIntegerIdsAsText() throws Exception {
        AppointmentRecord r = mapper.map(item("{\"id\":42,\"state\":\"SCHEDULED\",\"at\":\"2026-12-01T09:00:00-05:00\","
                + "\"minutes\":30,\"who\":{\"id\":7}}")).record();
        assertEquals("42", r.id());
        assertEquals("booked", r.status(), "status words match regardless of case");
        assertEquals(Instant.parse("2026-12-01T14:00:00Z"), r.start());
        assertEquals(30, r.durationMinutes());
        assertEquals("7", r.providerId());
        assertNull(r.end());
    }

    @Test
    void whatCannotBeReadIsQuarantinedWithTheReason() throws Exception {
        assertEquals("status 'tentative' is not in bridge.sources.x.status-map",
                mapper.map(item("{\"id\":1,\"state\":\"tentative\"}")).poison().reason());
        assertEquals("no status", mapper.map(item("{\"id\":1}")).poison().reason());
        assertEquals("bridge.sources.x.fields.start is not an ISO-8601 time with a zone offset",
                mapper.map(item("{\"id\":1,\"state\":\"confirmed\",\"at\":\"2026-12-01T09:00:00\"}")).poison().reason());
        assertEquals("bridge.sources.x.fields.duration is not a whole number of minutes",
                mapper.map(item("{\"id\":1,\"state\":\"confirmed\",\"minutes\":\"half an hour\"}")).poison().reason());
        assertEquals("bridge.sources.x.fields.provider is not a text or an integer",
                mapper.map(item("{\"id\":1,\"state\":\"confirmed\",\"who\":{\"id\":{}}}")).poison().reason());
    }

    @Test
    void anItemWithoutAnIdFailsThePage() {
        SourceFetchException e = assertThrows(SourceFetchException.class,
                () -> mapper.map(item("{\"state\":\"confirmed\"}")));
        assertEquals("malformed page: an item has no bridge.sources.x.fields.id", e.getMessage());
    }

    @Test
    void configurationThatCannotWorkIsRefusedNamingTheSetting() {
        assertEquals("bridge.sources.x.fields.colour: not a field; one of [duration, end, id, location, patient-first-name,"
                + " patient-id, patient-last-name, provider, replaces, start, status, updated]",
                refused(Map.of("id", "/id", "status", "/s", "colour", "/c"), STATUSES));
        assertEquals("bridge.sources.x.fields.status is required for type=json", refused(Map.of("id", "/id"), STATUSES));
        assertEquals("bridge.sources.x.fields.start: 'starts_at' is not a JSON Pointer (it starts with /)",
                refused(Map.of("id", "/id", "status", "/s", "start", "starts_at"), STATUSES));
        assertEquals("bridge.sources.x.status-map.done: not a canonical status; one of [arrived, booked, cancelled,"
                + " checked-in, entered-in-error, fulfilled, noshow, pending, proposed, waitlist]",
                refused(FIELDS, Map.of("done", List.of("done"))));
        assertEquals("bridge.sources.x.status-map: 'x' is mapped to both booked and cancelled",
                refused(FIELDS, new java.util.TreeMap<>(Map.of("booked", List.of("x"), "cancelled", List.of("x")))));
    }

    @Test
    void urlPlaceholdersAreEncoded() {
        assertEquals("https://a/x?since=2026-01-01T00%3A00%3A00Z&page=&q=a%20b",
                JsonSource.fill("https://a/x?since={cursor}&page={page}&q={id}",
                        Map.of("cursor", "2026-01-01T00:00:00Z", "id", "a b")));
    }

    private static String refused(Map<String, String> fields, Map<String, List<String>> statuses) {
        return assertThrows(IllegalArgumentException.class, () -> new JsonItemMapper("x", fields, statuses))
                .getMessage();
    }

    private static JsonNode item(String json) throws Exception {
        return JSON.readTree(json);
    }
}
