package dev.appointmentbridge.delivery.format;

import dev.appointmentbridge.config.Format;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Exact bodies of every format, from canonical events as the poll cycle stores them. */
class PayloadFormatterTest {

    private static final String RESCHEDULED = """
            {"id":"7d6c","type":"appointment.rescheduled","source":"clinic","occurred_at":"2025-01-09T08:00:00Z",\
            "appointment":{"id":"apt-2","status":"booked","start":"2025-01-10T14:00:00Z","end":"2025-01-10T14:30:00Z",\
            "duration_minutes":30,"provider_id":"dr-2","location_id":"loc-1","patient_id":"pat-1"},\
            "previous":{"id":"apt-1","status":"cancelled","start":"2025-01-10T10:00:00Z","end":"2025-01-10T10:30:00Z",\
            "duration_minutes":30,"provider_id":"dr-1","location_id":"loc-1","patient_id":"pat-1"},\
            "patient":{"id":"pat-1","first_name":"Ada","last_name":"Lovelace"}}""";

    private static final String COMPLETED = """
            {"id":"9a1b","type":"appointment.completed","source":"clinic","occurred_at":"2025-01-10T15:00:00Z",\
            "appointment":{"id":"apt-3","status":"fulfilled","start":"2025-01-10T14:00:00Z","patient_id":"pat-1"}}""";

    private final PayloadFormatter formatter = new PayloadFormatter();

    {
        formatter.mapper = new ObjectMapper();
    }

    /** Type and time as the worker passes them: from the event row, equal to the payload's own. */
    private String render(Format format, String event, boolean names) throws Exception {
        JsonNode head = new ObjectMapper().readTree(event);
        return formatter.render(format, head.path("type").asText(), head.path("occurred_at").asText(), event, names)
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void standardWrapsTheCanonicalEventUnchanged() throws Exception {
        assertEquals("{\"type\":\"appointment.rescheduled\",\"timestamp\":\"2025-01-09T08:00:00Z\",\"data\":"
                + RESCHEDULED + "}", render(Format.STANDARD, RESCHEDULED, false));
    }

    @Test
    void canvasMatchesTheAppointmentSyncPluginFieldForField() throws Exception {
        assertEquals("{\"event_type\":\"appointment_rescheduled\",\"appointment\":{\"id\":\"apt-2\","
                + "\"provider_id\":\"dr-2\",\"start_time\":\"2025-01-10T14:00:00+00:00\",\"duration_minutes\":30,"
                + "\"end_time\":\"2025-01-10T14:30:00+00:00\",\"original_appointment\":{\"id\":\"apt-1\","
                + "\"provider_id\":\"dr-1\",\"start_time\":\"2025-01-10T10:00:00+00:00\",\"duration_minutes\":30,"
                + "\"end_time\":\"2025-01-10T10:30:00+00:00\"}},\"timestamp\":\"2025-01-09T08:00:00+00:00\","
                + "\"patient\":{\"id\":\"pat-1\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}}",
                render(Format.CANVAS, RESCHEDULED, false));
    }

    @Test
    void canvasCannotExpressCompleted() throws Exception {
        assertEquals(null, render(Format.CANVAS, COMPLETED, false));
        assertTrue(FormatSupport.canExpress(Format.CANVAS, dev.appointmentbridge.event.EventType.NO_SHOW));
    }

    @Test
    void flatIsTheReceivingContractWithAPatientFreeSummary() throws Exception {
        assertEquals("{\"event_type\":\"appointment.rescheduled\",\"appointment_id\":\"apt-2\",\"patient_id\":\"pat-1\","
                + "\"timestamp\":\"2025-01-09T08:00:00Z\",\"notes\":\"moved from 2025-01-10 10:00Z to 2025-01-10 14:00Z,"
                + " provider dr-1 to dr-2\"}", render(Format.FLAT, RESCHEDULED, false));
    }

    @Test
    void slackNamesThePatientOnlyWhenTheTargetOptsIn() throws Exception {
        assertEquals("{\"text\":\"Appointment apt-2 rescheduled: moved from 2025-01-10 10:00Z to 2025-01-10 14:00Z,"
                + " provider dr-1 to dr-2\"}", render(Format.SLACK, RESCHEDULED, false));
        assertTrue(render(Format.SLACK, RESCHEDULED, true).contains("patient Ada Lovelace"));
    }

    @Test
    void clockwiseMapsTypes() throws Exception {
        assertEquals("{\"appointment_id\":\"apt-2\",\"event_type\":\"reschedule\"}",
                render(Format.CLOCKWISE, RESCHEDULED, false));
        assertEquals("{\"appointment_id\":\"apt-3\",\"event_type\":\"discharge\"}",
                render(Format.CLOCKWISE, COMPLETED, false));
    }
}
