package dev.appointmentbridge.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * A plain JSON scheduling API over {@link SimulatedPractice}, in its own words (numeric-looking ids, {@code state}
 * of {@code confirmed}/{@code canceled}/{@code no_show}/{@code done}, local offsets): no change filter, so the
 * demo's {@code demo-practice} source scans a window of it ({@code GET /demo/json/schedule?from=&to=&page=},
 * 20 per page) and reads absent appointments by id ({@code GET /demo/json/appointments/{id}}, 404 once deleted).
 */
@Path("/demo/json")
public class SimulatedJsonApiResource {

    private static final int PAGE_SIZE = 20;
    /** The practice is in New York: its API writes local times with their offset. */
    private static final ZoneOffset LOCAL = ZoneOffset.ofHours(-5);

    @Inject
    SimulatedPractice practice;

    @Inject
    ObjectMapper mapper;

    @GET
    @Path("schedule")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode schedule(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("1") int page) {
        // Without a window (someone exploring the demo by hand), the practice's next week.
        Instant start = from == null ? Instant.now().minus(java.time.Duration.ofDays(1)) : Instant.parse(from);
        Instant end = to == null ? Instant.now().plus(java.time.Duration.ofDays(7)) : Instant.parse(to);
        List<SimulatedFrontDesk.Appointment> all = practice.startingIn(start, end);
        ObjectNode body = mapper.createObjectNode();
        ArrayNode list = body.putArray("appointments");
        all.stream().skip((long) PAGE_SIZE * (Math.max(page, 1) - 1)).limit(PAGE_SIZE).forEach(a -> list.add(json(a)));
        body.putObject("meta").put("page", page).put("total", all.size());
        return body;
    }

    @GET
    @Path("appointments/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode appointment(@PathParam("id") String id) {
        SimulatedFrontDesk.Appointment a = practice.get(id);
        if (a == null) {
            throw new NotFoundException();
        }
        return json(a);
    }

    private ObjectNode json(SimulatedFrontDesk.Appointment a) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", a.id());
        o.put("state", switch (a.status()) {
            case "cancelled" -> "canceled";
            case "noshow" -> "no_show";
            case "fulfilled" -> "done";
            default -> "confirmed";
        });
        o.put("starts_at", local(a.start()));
        o.put("ends_at", local(a.start().plusSeconds(a.minutes() * 60L)));
        o.putObject("provider").put("id", a.practitioner());
        o.put("location_id", "suite-200");
        String[] name = practice.patientName(a.patient());
        o.putObject("patient").put("id", a.patient()).put("first_name", name[0]).put("last_name", name[1]);
        o.put("rebooked_from", a.replaces());
        o.put("updated_at", local(a.lastUpdated()));
        return o;
    }

    private static String local(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(LOCAL));
    }
}
