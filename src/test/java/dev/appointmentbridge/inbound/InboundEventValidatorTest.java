package dev.appointmentbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;
import dev.appointmentbridge.event.EventType;

class InboundEventValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static List<ErrorItem> errorsOf(String body) throws Exception {
        JsonNode node = json(body);
        ApiException e = assertThrows(ApiException.class, () -> InboundEventValidator.validate(node));
        assertEquals(422, e.status());
        return ((dev.appointmentbridge.common.ApiError) e.toResponse().getEntity()).errors();
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-01-10T12:30:00Z", "2025-01-10T12:30:00+05:30", "2025-01-10T12:30:00-08:00",
            "2025-01-10T12:30:00.123Z" })
    void acceptsIsoTimestampsWithZone(String ts) throws Exception {
        InboundEvent e = InboundEventValidator.validate(json("""
                {"event_type":"appointment.rescheduled","appointment_id":"a","patient_id":"p","timestamp":"%s"}
                """.formatted(ts)));
        assertEquals(OffsetDateTime.parse(ts).toInstant(), e.timestamp().toInstant());
        assertEquals(EventType.RESCHEDULED, e.type());
    }

    @Test
    void reportsEveryMissingField() throws Exception {
        List<ErrorItem> errors = errorsOf("{}");
        assertEquals(List.of("event_type", "appointment_id", "patient_id", "timestamp"),
                errors.stream().map(e -> e.loc().get(1)).toList());
        errors.forEach(e -> assertEquals("missing", e.type()));
        errors.forEach(e -> assertEquals("Field required", e.msg()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-01-10 12:30:00", "01/10/2025 12:30 PM", "2025-01-10", "tomorrow", "" })
    void rejectsNonIsoTimestamps(String ts) throws Exception {
        List<ErrorItem> errors = errorsOf("""
                {"event_type":"appointment.scheduled","appointment_id":"a","patient_id":"p","timestamp":"%s"}
                """.formatted(ts));
        assertEquals(1, errors.size());
        assertEquals(List.of("body", "timestamp"), errors.get(0).loc());
        assertEquals("datetime_parsing", errors.get(0).type());
    }

    @Test
    void rejectsTimestampWithoutZone() throws Exception {
        List<ErrorItem> errors = errorsOf("""
                {"event_type":"appointment.scheduled","appointment_id":"a","patient_id":"p","timestamp":"2025-01-10T12:30:00"}
                """);
        assertEquals("timezone_aware", errors.get(0).type());
    }

    @Test
    void rejectsUnixNumberTimestamp() throws Exception {
        List<ErrorItem> errors = errorsOf("""
                {"event_type":"appointment.scheduled","appointment_id":"a","patient_id":"p","timestamp":1704888600}
                """);
        assertEquals("datetime_type", errors.get(0).type());
    }

    @Test
    void countsCharactersNotBytes() throws Exception {
        String fiftyAccented = "é".repeat(50);
        InboundEvent e = InboundEventValidator.validate(json("""
                {"event_type":"appointment.scheduled","appointment_id":"%s","patient_id":"p","timestamp":"2025-01-10T12:30:00Z"}
                """.formatted(fiftyAccented)));
        assertEquals(fiftyAccented, e.appointmentId());
    }

    @Test
    void numbersAreNotCoercedToIds() throws Exception {
        List<ErrorItem> errors = errorsOf("""
                {"event_type":"appointment.scheduled","appointment_id":42,"patient_id":true,"timestamp":"2025-01-10T12:30:00Z","notes":7}
                """);
        assertEquals(List.of("appointment_id", "patient_id", "notes"), errors.stream().map(e -> e.loc().get(1)).toList());
        errors.forEach(e -> assertEquals("string_type", e.type()));
    }

    @Test
    void nonObjectBodyIsRejectedAsAWhole() throws Exception {
        List<ErrorItem> errors = errorsOf("[1,2]");
        assertEquals(List.of("body"), errors.get(0).loc());
        assertEquals("model_attributes_type", errors.get(0).type());
    }
}
