package dev.appointmentbridge.source.json;

import dev.appointmentbridge.source.http.SourceHttp;
import dev.appointmentbridge.source.http.RequestBudget;
import dev.appointmentbridge.source.http.SourceToken;
import dev.appointmentbridge.source.PoisonRecord;
import dev.appointmentbridge.source.AppointmentRecord;
import dev.appointmentbridge.source.SourceFetchException;
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
        assertEquals("bridge.sources.x.fields.colour: not a field; one of [duration, end, end-zone, id, location,"
                + " patient-first-name, patient-id, patient-last-name, provider, removed, replaces, start, start-zone,"
                + " status, updated]",
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

    /** Review of issue 14: these escaped as IllegalArgumentException and failed the page on every poll. */
    @Test
    void aStatusOfTheWrongKindIsQuarantinedAndAnIdOfTheWrongKindFailsThePageClearly() throws Exception {
        assertEquals("status 'true' is not in bridge.sources.x.status-map",
                mapper.map(item("{\"id\":1,\"state\":true}")).poison().reason(), "a boolean status is a word to map");
        assertEquals("bridge.sources.x.fields.status is not a text or an integer",
                mapper.map(item("{\"id\":1,\"state\":[\"confirmed\"]}")).poison().reason());
        for (String id : List.of("true", "1.5", "{}")) {
            SourceFetchException e = assertThrows(SourceFetchException.class,
                    () -> mapper.map(item("{\"id\":" + id + ",\"state\":\"confirmed\"}")));
            assertEquals("malformed page: an item's bridge.sources.x.fields.id is not a text or an integer",
                    e.getMessage());
        }
    }

    /** Review of issue 14: values PostgreSQL cannot store, or that would forge log lines, are quarantined. */
    @Test
    void valuesThatCannotBeStoredOrLoggedAreQuarantined() throws Exception {
        PoisonRecord surrogate = mapper.map(item("{\"id\":\"s\\ud800y\",\"state\":\"confirmed\"}")).poison();
        assertEquals("s\\uD800y", surrogate.appointmentId(), "stored escaped, readable");
        assertEquals("id contains an unpaired UTF-16 surrogate", surrogate.reason());
        assertEquals("id contains a control or formatting character",
                mapper.map(item("{\"id\":\"a\\nb\",\"state\":\"confirmed\"}")).poison().reason());
        assertEquals("id contains a control or formatting character",
                mapper.map(item("{\"id\":\"a\\u202eb\",\"state\":\"confirmed\"}")).poison().reason());
        assertEquals("id is longer than 200 characters",
                mapper.map(item("{\"id\":\"" + "x".repeat(201) + "\",\"state\":\"confirmed\"}")).poison().reason());
        assertEquals("bridge.sources.x.fields.start is outside the years 1 to 9999",
                mapper.map(item("{\"id\":1,\"state\":\"confirmed\",\"at\":\"-5000-01-01T00:00:00Z\"}")).poison()
                        .reason());
        assertEquals("bridge.sources.x.fields.provider contains an unpaired UTF-16 surrogate",
                mapper.map(item("{\"id\":1,\"state\":\"confirmed\",\"who\":{\"id\":\"r\\udc00\"}}")).poison()
                        .reason());
    }

    /** Issue 37: Microsoft Graph's isCancelled and {dateTime, timeZone} could not be mapped (a boolean was "not a
     *  text", a local time always quarantined). */
    @Test
    void graphEventsMapWithABooleanStatusAndSeparateZones() throws Exception {
        JsonItemMapper graph = new JsonItemMapper("g", Map.of("id", "/id", "status", "/isCancelled", "start",
                "/start/dateTime", "start-zone", "/start/timeZone", "end", "/end/dateTime", "end-zone",
                "/end/timeZone", "removed", "/@removed"), Map.of("booked", List.of("false"), "cancelled",
                List.of("true")));
        AppointmentRecord r = graph.map(item("{\"id\":\"AAMk=\",\"isCancelled\":false,\"start\":{\"dateTime\":"
                + "\"2026-12-10T10:00:00.0000000\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":"
                + "\"2026-12-10T10:30:00.0000000\",\"timeZone\":\"America/New_York\"}}")).record();
        assertEquals("booked", r.status());
        assertEquals(Instant.parse("2026-12-10T10:00:00Z"), r.start());
        assertEquals(Instant.parse("2026-12-10T15:30:00Z"), r.end(), "read in its own zone");
        assertEquals("cancelled", graph.map(item("{\"id\":\"a\",\"isCancelled\":true,\"start\":{\"dateTime\":"
                + "\"2026-12-10T10:00:00\",\"timeZone\":\"UTC\"}}")).record().status());
        assertEquals("a", graph.map(item("{\"id\":\"a\",\"@removed\":{\"reason\":\"deleted\"}}")).removed(),
                "a tombstone, not quarantined for its missing status");
        assertEquals("bridge.sources.g.fields.start-zone 'Pacific Standard Time' is not an IANA time zone or UTC"
                + " (Microsoft Graph: ask for Prefer: outlook.timezone=\"UTC\")", graph.map(item("{\"id\":\"b\","
                + "\"isCancelled\":false,\"start\":{\"dateTime\":\"2026-12-10T10:00:00\",\"timeZone\":"
                + "\"Pacific Standard Time\"}}")).poison().reason());
        assertEquals("bridge.sources.x.fields.provider is not a text or an integer", mapper.map(item(
                "{\"id\":1,\"state\":\"confirmed\",\"who\":{\"id\":true}}")).poison().reason(),
                "booleans only as status words");
    }

    /** Review of issue 37: a local time in a clock change was shifted; an end before the start was delivered. */
    @Test
    void localTimesAChangeOfOffsetSkipsOrRepeatsAndEndsBeforeStartsAreQuarantined() throws Exception {
        JsonItemMapper zoned = new JsonItemMapper("g", Map.of("id", "/id", "status", "/s", "start", "/start/dateTime",
                "start-zone", "/start/timeZone", "end", "/end/dateTime", "end-zone", "/end/timeZone"),
                Map.of("booked", List.of("ok")));
        assertEquals("bridge.sources.g.fields.start 2026-03-08T02:30:00 does not exist in America/New_York (a change"
                + " of offset): not guessed", zoned.map(item("{\"id\":\"a\",\"s\":\"ok\",\"start\":{\"dateTime\":"
                + "\"2026-03-08T02:30:00\",\"timeZone\":\"America/New_York\"}}")).poison().reason());
        assertEquals("bridge.sources.g.fields.start 2026-11-01T01:30:00 exists twice in America/New_York (a change"
                + " of offset): not guessed", zoned.map(item("{\"id\":\"a\",\"s\":\"ok\",\"start\":{\"dateTime\":"
                + "\"2026-11-01T01:30:00\",\"timeZone\":\"America/New_York\"}}")).poison().reason());
        assertEquals("bridge.sources.g.fields.end is before bridge.sources.g.fields.start", zoned.map(item(
                "{\"id\":\"a\",\"s\":\"ok\",\"start\":{\"dateTime\":\"2026-12-10T10:00:00\",\"timeZone\":"
                + "\"America/New_York\"},\"end\":{\"dateTime\":\"2026-12-10T10:30:00\",\"timeZone\":"
                + "\"Europe/Berlin\"}}")).poison().reason());
        assertEquals(Instant.parse("2026-12-10T10:00:00Z"), zoned.map(item("{\"id\":\"a\",\"s\":\"ok\","
                + "\"start\":{\"dateTime\":\"2026-12-10T10:00:00\",\"timeZone\":\"utc\"}}")).record().start());
    }

    /** Issue 37: Google's deleted event ({"id", "status": "cancelled"} only) is a tombstone. */
    @Test
    void aCancelledItemWithoutTimesIsATombstoneAndOneWithTimesACancellation() throws Exception {
        assertEquals("g1", mapper.map(item("{\"id\":\"g1\",\"state\":\"canceled\"}")).removed());
        AppointmentRecord withTimes = mapper.map(item("{\"id\":\"g2\",\"state\":\"canceled\",\"at\":"
                + "\"2026-12-01T09:00:00Z\"}")).record();
        assertEquals("cancelled", withTimes.status());
    }

    /** Issue 37: Graph lists an entity twice on one delta page; the last occurrence is its state. */
    @Test
    void aChangeFeedPageKeepsTheLastOccurrence() throws Exception {
        List<JsonItemMapper.Mapped> page = PageRecords.lastOccurrences(List.of(
                mapper.map(item("{\"id\":\"a\",\"state\":\"confirmed\",\"at\":\"2026-12-01T09:00:00Z\"}")),
                mapper.map(item("{\"id\":\"b\",\"state\":\"confirmed\"}")),
                mapper.map(item("{\"id\":\"a\",\"state\":\"canceled\"}"))));
        assertEquals(List.of("b", "a"), page.stream().map(JsonItemMapper.Mapped::id).toList());
        assertEquals("a", page.get(1).removed());
    }

    /** Review of issue 14: one id listed twice with different values emitted two events on every cycle. */
    @Test
    void anIdListedTwiceOnOnePageWithDifferentValuesIsQuarantined() {
        AppointmentRecord confirmed = new AppointmentRecord("d1", "booked", null, null, null, null, null, null, null,
                null);
        AppointmentRecord canceled = new AppointmentRecord("d1", "cancelled", null, null, null, null, null, null, null,
                null);
        AppointmentRecord other = new AppointmentRecord("d2", "booked", null, null, null, null, null, null, null, null);
        List<AppointmentRecord> records = new java.util.ArrayList<>(List.of(confirmed, other, canceled, other));
        List<PoisonRecord> poison = new java.util.ArrayList<>();
        PageRecords.listedOnce(records, poison, new java.util.ArrayList<>());
        assertEquals(List.of(other), records, "the same record twice counts once");
        assertEquals(List.of("d1"), poison.stream().map(PoisonRecord::appointmentId).toList());
    }

    /** Review of issue 14: a typo in a placeholder stopped the start with a message that named no setting. */
    @Test
    void anUnknownPlaceholderIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UrlTemplate.placeholders(
                "bridge.sources.x.url", "https://a/x?since={cursr}", java.util.Set.of("cursor", "page")));
        assertEquals("bridge.sources.x.url: {cursr} is not a placeholder; it takes [{cursor}, {page}]", e.getMessage());
    }

    /** Review of issue 14: a query-only next link was resolved against the parent directory (RFC 2396). */
    @Test
    void aQueryOnlyNextLinkKeepsThePath() throws Exception {
        SourceHttp http = new SourceHttp(null, SourceToken.none(), java.net.URI.create("http://h:1/v1/appointments"),
                1000, new RequestBudget(0, java.time.Clock.systemUTC()));
        assertEquals("http://h:1/v1/appointments?p=5",
                http.checkedNext(java.net.URI.create("http://h:1/v1/appointments?page=1"), "?p=5"));
        assertEquals("http://h:1/v1/other?p=5",
                http.checkedNext(java.net.URI.create("http://h:1/v1/appointments?page=1"), "other?p=5"));
    }

    @Test
    void urlPlaceholdersAreEncoded() {
        assertEquals("https://a/x?since=2026-01-01T00%3A00%3A00Z&page=&q=a%20b",
                UrlTemplate.fill("https://a/x?since={cursor}&page={page}&q={id}",
                        Map.of("cursor", "2026-01-01T00:00:00Z", "id", "a b")));
    }

    /** An id of "." or ".." stays the id: as a bare path segment it named the list or its parent instead. */
    @Test
    void dotSegmentIdsStayIds() {
        assertEquals("https://a/appointments/%2E%2E", UrlTemplate.fill("https://a/appointments/{id}", Map.of("id", "..")));
        assertEquals("https://a/appointments/%2E", UrlTemplate.fill("https://a/appointments/{id}", Map.of("id", ".")));
        assertEquals("https://a/appointments/..a", UrlTemplate.fill("https://a/appointments/{id}", Map.of("id", "..a")));
        assertEquals("/appointments/%2E%2E", java.net.URI.create(UrlTemplate.fill("https://a/appointments/{id}",
                Map.of("id", ".."))).normalize().getRawPath());
    }

    private static String refused(Map<String, String> fields, Map<String, List<String>> statuses) {
        return assertThrows(IllegalArgumentException.class, () -> new JsonItemMapper("x", fields, statuses))
                .getMessage();
    }

    private static JsonNode item(String json) throws Exception {
        return JSON.readTree(json);
    }
}
