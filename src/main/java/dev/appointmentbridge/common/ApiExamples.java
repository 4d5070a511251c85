package dev.appointmentbridge.common;

/**
 * Example bodies for the OpenAPI document ({@code /docs} shows what to send and what comes back for
 * every status), used by {@link OpenApiExamples}.
 */
final class ApiExamples {

    static final String APPOINTMENT = """
            {"event_type": "appointment.scheduled", "appointment_id": "apt-1", "patient_id": "pat-1",
             "timestamp": "2025-01-10T12:30:00Z", "notes": "first visit"}""";

    static final String CANVAS = """
            {"event_type": "appointment_created",
             "appointment": {"id": "a-1", "provider_id": "dr-1", "start_time": "2024-01-15T10:00:00",
                             "duration_minutes": 30, "end_time": "2024-01-15T10:30:00"},
             "patient": {"id": "p-1", "first_name": "John", "last_name": "Doe"},
             "timestamp": "2024-01-10T09:00:00"}""";

    static final String CLOCKWISE = """
            {"appointment_id": 1042, "event_type": "reschedule"}""";

    static final String RECEIPT = """
            {"status": "success", "message": "Event received and stored successfully", "event_id": 17,
             "received_at": "2025-01-10T12:30:01.204Z",
             "data": {"event_type": "appointment.scheduled", "appointment_id": "apt-1", "patient_id": "pat-1"}}""";

    static final String REPLAY = """
            {"status": "success", "message": "Event already received; returning the original event", "event_id": 17,
             "received_at": "2025-01-10T12:30:01.204Z",
             "data": {"event_type": "appointment.scheduled", "appointment_id": "apt-1", "patient_id": "pat-1"}}""";

    static final String FETCHED = """
            {"status": "success", "message": "Fetched from practice and compared with its last state",
             "source": "practice", "appointment_id": "1042", "events": 1}""";

    static final String INVALID = """
            {"status": "error", "message": "Invalid payload structure",
             "errors": [{"loc": ["body", "timestamp"], "msg": "Input should have timezone info (Z or ±hh:mm), e.g. 2025-01-10T12:30:00Z", "type": "timezone_aware"}]}""";

    static final String UNAUTHORIZED = """
            {"status": "error", "message": "Missing or invalid API key",
             "errors": [{"loc": ["header", "X-API-Key"], "msg": "Send X-API-Key: <key> or Authorization: Bearer <key>", "type": "unauthorized"}]}""";

    static final String CONFLICT = """
            {"status": "error", "message": "Idempotency key already used for a different event",
             "errors": [{"loc": ["header", "Idempotency-Key"], "msg": "This key was first used with event 17 and a different body", "type": "idempotency_conflict"}]}""";

    static final String TOO_LARGE = """
            {"status": "error", "message": "Request body too large",
             "errors": [{"loc": ["body"], "msg": "Body must be at most 65536 bytes", "type": "body_too_large"}]}""";

    static final String UNSUPPORTED = """
            {"status": "error", "message": "Unsupported content type",
             "errors": [{"loc": ["header", "Content-Type"], "msg": "Content-Type must be application/json", "type": "content_type"}]}""";

    static final String UNAVAILABLE = """
            {"status": "error", "message": "Event store unavailable; the event was not stored, retry later",
             "errors": [{"loc": ["server", "event_log"], "msg": "Database unavailable or saturated", "type": "unavailable"}]}""";

    static final String ADMIN_UNAUTHORIZED = """
            {"status": "error", "message": "Missing or invalid API key",
             "errors": [{"loc": ["header", "X-API-Key"], "msg": "bridge.admin.api-key is not set: this endpoint returns patient data and stays closed until it is (env BRIDGE_ADMIN_API_KEY)", "type": "unauthorized"}]}""";

    static final String FORBIDDEN_KEY = """
            {"status": "error", "message": "Forbidden",
             "errors": [{"loc": ["header", "X-API-Key"], "msg": "This key may push events; this endpoint takes bridge.admin.api-key", "type": "forbidden"}]}""";

    static final String FORBIDDEN_ORIGIN = """
            {"status": "error", "message": "Cross-site request refused",
             "errors": [{"loc": ["header", "Origin"], "msg": "Admin actions are accepted only from this service's own origin", "type": "forbidden_origin"}]}""";

    static final String NOT_FOUND = """
            {"status": "error", "message": "Not found",
             "errors": [{"loc": ["path", "delivery"], "msg": "No delivery 42", "type": "not_found"}]}""";

    static final String BAD_PARAMETER = """
            {"status": "error", "message": "Invalid parameters",
             "errors": [{"loc": ["query", "status"], "msg": "Input should be one of [pending, sent, dead, skipped]", "type": "invalid"}]}""";

    static final String POLL_FAILED = """
            {"status": "error", "message": "Poll failed; the pages before the failure are kept, the rest is read next time",
             "errors": [{"loc": ["source", "demo-clinic"], "msg": "GET /fhir/Appointment answered HTTP 503", "type": "upstream_failed"}]}""";

    static final String DATABASE_DOWN = """
            {"status": "degraded", "service": "appointment-bridge", "version": "0.1.0-SNAPSHOT", "database": "down"}""";

    private ApiExamples() {
    }
}
