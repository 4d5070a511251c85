package dev.appointmentbridge.demo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

/**
 * A FHIR R4 Appointment search over {@link SimulatedSchedule}, polled by the demo's source. The simulation
 * never deletes, so its {@code _history} has no DELETE entries.
 */
@Path("/demo/fhir/Appointment")
public class SimulatedFhirResource {

    @Inject
    SimulatedSchedule schedule;

    @Inject
    ObjectMapper mapper;

    @GET
    @Path("_history")
    @Produces("application/fhir+json")
    public ObjectNode history() {
        ObjectNode bundle = mapper.createObjectNode().put("resourceType", "Bundle").put("type", "history");
        bundle.putObject("meta").put("lastUpdated", Instant.now().toString());
        bundle.putArray("entry");
        return bundle;
    }

    @GET
    @Produces("application/fhir+json")
    public ObjectNode search(@QueryParam("_lastUpdated") String lastUpdated,
            @QueryParam("_count") @DefaultValue("100") int count, @QueryParam("_offset") @DefaultValue("0") int offset,
            @QueryParam("_include") String include, @QueryParam("date") List<String> date) {
        Instant since = lastUpdated == null ? null : OffsetDateTime.parse(lastUpdated.substring(2)).toInstant();
        // date=ge..&date=lt..: the reconciliation sweep's window search (issue 18), by start.
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (String d : date) {
            Instant at = OffsetDateTime.parse(d.substring(2)).toInstant();
            if (d.startsWith("g")) {
                from = at;
            } else {
                to = d.startsWith("le") ? at.plusNanos(1) : at;
            }
        }
        List<SimulatedSchedule.Appointment> all = date.isEmpty() ? schedule.changedSince(since)
                : schedule.startingIn(from, to);
        List<SimulatedSchedule.Appointment> page = all.subList(Math.min(offset, all.size()),
                Math.min(offset + count, all.size()));
        ObjectNode bundle = mapper.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
        ArrayNode links = bundle.putArray("link");
        links.addObject().put("relation", "self").put("url", "Appointment?_sort=_lastUpdated&_count=" + count);
        if (offset + count < all.size()) {
            links.addObject().put("relation", "next").put("url", "Appointment?"
                    + (lastUpdated == null ? "" : "_lastUpdated=" + lastUpdated + "&")
                    + date.stream().map(d -> "date=" + java.net.URLEncoder.encode(d, java.nio.charset.StandardCharsets.UTF_8) + "&")
                            .collect(java.util.stream.Collectors.joining()) + "_count=" + count
                    + "&_offset=" + (offset + count) + (include == null ? "" : "&_include=" + include));
        }
        ArrayNode entries = bundle.putArray("entry");
        Set<String> patients = new LinkedHashSet<>();
        for (SimulatedSchedule.Appointment a : page) {
            ObjectNode r = entries.addObject().putObject("resource");
            r.put("resourceType", "Appointment").put("id", a.id()).put("status", a.status())
                    .put("start", a.start().toString()).put("end", a.start().plusSeconds(a.minutes() * 60L).toString())
                    .put("minutesDuration", a.minutes());
            r.putObject("meta").put("lastUpdated", a.lastUpdated().toString());
            ArrayNode participants = r.putArray("participant");
            participants.addObject().putObject("actor").put("reference", "Patient/" + a.patient());
            participants.addObject().putObject("actor").put("reference", "Practitioner/" + a.practitioner());
            participants.addObject().putObject("actor").put("reference", "Location/main-clinic");
            if (a.replaces() != null) {
                ObjectNode extension = r.putArray("extension").addObject()
                        .put("url", "http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces");
                extension.putObject("valueReference").put("reference", "Appointment/" + a.replaces());
            }
            patients.add(a.patient());
        }
        if ("Appointment:patient".equals(include)) {
            for (String id : patients) {
                String[] name = schedule.patientName(id);
                ObjectNode p = entries.addObject();
                ObjectNode r = p.putObject("resource").put("resourceType", "Patient").put("id", id);
                ObjectNode n = r.putArray("name").addObject().put("use", "official").put("family", name[1]);
                n.putArray("given").add(name[0]);
                p.putObject("search").put("mode", "include");
            }
        }
        return bundle;
    }
}
