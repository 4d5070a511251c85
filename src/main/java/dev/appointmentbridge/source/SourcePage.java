package dev.appointmentbridge.source;

import java.util.List;
import java.util.Map;

/** One Bundle page: its appointments, included patients by id, and the next page's URL (null at the end). */
public record SourcePage(List<AppointmentRecord> appointments, Map<String, PatientName> patients, String next) {
}
