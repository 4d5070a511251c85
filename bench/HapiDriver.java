// Driver of bench/hapi.sh against a real FHIR R4 server (HAPI FHIR JPA), run as a single-file program:
//   java bench/HapiDriver.java setup   <fhir base> <n> <out dir> <run id>
//   java bench/HapiDriver.java changes <fhir base> <out dir> <poll ms> <duration s> <seed>
//   java bench/HapiDriver.java compare <out dir> <poll ms>
// setup:   creates Patients, Practitioners, Locations and n booked future Appointments (all tagged with the
//          identifier system urn:bench-run = run id); writes refs.tsv and appointments.tsv (the ids the server gave).
// changes: performs a few hundred changes (reschedules, practitioner swaps, participant reorders, cancellations,
//          no-shows, completions, comment edits, rebookings, deletes, new bookings, double changes) at random
//          moments spread over the duration; writes expect.tsv: one row per expected event (or per change that
//          must produce none) with the wall-clock time (UTC ms) of the server's response.
// compare: reads expect.tsv, appointments.tsv and events.tsv (appointment_id, type, received_at ms, payload of
//          the bridge's event table) and prints per category: expected, found, missing, unexpected, duplicate, and
//          the change→event latency; exit 1 when anything is missing, unexpected, duplicated or has a wrong payload.
// No dependencies beyond the JDK (java.net.http); JSON is written by hand and read with regexes.
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class HapiDriver {

    static final String RUN_SYSTEM = "urn:bench-run";
    static final String REPLACES = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.replaces";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static String runId;

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "setup" -> setup(args[1], Integer.parseInt(args[2]), Path.of(args[3]), args[4]);
            case "changes" -> changes(args[1], Path.of(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
            case "compare" -> System.exit(compare(Path.of(args[1]), Long.parseLong(args[2])));
            default -> {
                System.err.println("usage: setup <base> <n> <out> <run id> | changes <base> <out> <poll ms> "
                        + "<duration s> <seed> | compare <out> <poll ms>");
                System.exit(2);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Appointment model: everything the driver ever PUTs, so no GET is needed before an update.

    static final class Appt {
        String id;
        String tag;
        String status = "booked";
        Instant start;
        int minutes = 30;
        String patient, practitioner, location;
        String comment;
        boolean reversed; // participant order
        String replaces;

        String json() {
            StringBuilder b = new StringBuilder("{\"resourceType\":\"Appointment\"");
            if (id != null) {
                b.append(",\"id\":\"").append(id).append('"');
            }
            if (replaces != null) {
                b.append(",\"extension\":[{\"url\":\"").append(REPLACES)
                        .append("\",\"valueReference\":{\"reference\":\"Appointment/").append(replaces).append("\"}}]");
            }
            b.append(",\"identifier\":[{\"system\":\"").append(RUN_SYSTEM).append("\",\"value\":\"").append(tag)
                    .append("\"}]");
            b.append(",\"status\":\"").append(status).append('"');
            b.append(",\"start\":\"").append(start).append("\",\"end\":\"")
                    .append(start.plus(minutes, ChronoUnit.MINUTES)).append('"');
            if (comment != null) {
                b.append(",\"comment\":\"").append(comment).append('"');
            }
            List<String> parts = new ArrayList<>(List.of(part("Patient/" + patient),
                    part("Practitioner/" + practitioner), part("Location/" + location)));
            if (reversed) {
                Collections.reverse(parts);
            }
            b.append(",\"participant\":[").append(String.join(",", parts)).append("]}");
            return b.toString();
        }

        static String part(String ref) {
            return "{\"actor\":{\"reference\":\"" + ref + "\"},\"status\":\"accepted\"}";
        }

        String tsv() {
            return String.join("\t", id, tag, patient, practitioner, location, start.toString(),
                    Integer.toString(minutes));
        }

        static Appt of(String line) {
            String[] f = line.split("\t");
            Appt a = new Appt();
            a.id = f[0];
            a.tag = f[1];
            a.patient = f[2];
            a.practitioner = f[3];
            a.location = f[4];
            a.start = Instant.parse(f[5]);
            a.minutes = Integer.parseInt(f[6]);
            return a;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP

    record Reply(int status, String body, String location, long atMillis) {
    }

    static Reply send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/" + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/fhir+json");
        if (body != null) {
            r.header("Content-Type", "application/fhir+json").header("Prefer", "return=minimal");
            r.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        long at = System.currentTimeMillis();
        return new Reply(resp.statusCode(), resp.body(), resp.headers().firstValue("Location").orElse(""), at);
    }

    /** POST, answering the id the server assigned (from Location: .../Type/123/_history/1). */
    static String create(String type, String json) throws IOException, InterruptedException {
        Reply r = send("POST", type, json);
        return idOf(type, r);
    }

    static String idOf(String type, Reply r) {
        Matcher m = Pattern.compile(type + "/([^/]+)/_history").matcher(r.location());
        if (r.status() != 201 || !m.find()) {
            throw new IllegalStateException("POST " + type + " answered " + r.status() + " Location=" + r.location()
                    + " " + r.body());
        }
        return m.group(1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // setup

    static final String[] GIVEN = {"Alma", "Bruno", "Carla", "Dario", "Elena", "Fabio", "Greta", "Hugo", "Ines",
        "Jonas", "Katja", "Lenz", "Mira", "Nils", "Olga", "Pavel", "Rosa", "Sven", "Tilda", "Udo"};
    static final String[] FAMILY = {"Testmann", "Beispiel", "Muster", "Probst", "Fiktiv", "Demoer", "Sample",
        "Placeholder", "Nobody", "Dummyson"};

    static String person(String type, int i) {
        return "{\"resourceType\":\"" + type + "\",\"identifier\":[{\"system\":\"" + RUN_SYSTEM + "\",\"value\":\""
                + runId + "-" + type.toLowerCase() + "-" + i + "\"}],\"name\":[{\"family\":\""
                + FAMILY[(i * 7) % FAMILY.length] + "\",\"given\":[\"" + GIVEN[i % GIVEN.length] + "\"]}]}";
    }

    static void setup(String fhirBase, int n, Path out, String run) throws Exception {
        base = fhirBase.replaceAll("/+$", "");
        runId = run;
        long t0 = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int patients = Math.max(5, Math.min(100, n / 10));
        List<String> pat = createAll(pool, patients, i -> create("Patient", person("Patient", i)));
        List<String> prac = createAll(pool, 10, i -> create("Practitioner", person("Practitioner", i)));
        List<String> loc = createAll(pool, 5, i -> create("Location", "{\"resourceType\":\"Location\",\"identifier\":"
                + "[{\"system\":\"" + RUN_SYSTEM + "\",\"value\":\"" + runId + "-location-" + i
                + "\"}],\"name\":\"Bench room " + i + "\",\"status\":\"active\"}"));
        Instant today = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Random rnd = new Random(run.hashCode());
        List<Appt> appts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Appt a = new Appt();
            a.tag = runId + "-" + i;
            a.patient = pat.get(rnd.nextInt(pat.size()));
            a.practitioner = prac.get(rnd.nextInt(prac.size()));
            a.location = loc.get(rnd.nextInt(loc.size()));
            a.start = today.plus(1 + rnd.nextInt(30), ChronoUnit.DAYS).plus(rnd.nextInt(40) * 15L, ChronoUnit.MINUTES);
            appts.add(a);
        }
        List<String> ids = createAll(pool, n, i -> create("Appointment", appts.get(i).json()));
        pool.shutdown();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            appts.get(i).id = ids.get(i);
            lines.add(appts.get(i).tsv());
        }
        Files.write(out.resolve("appointments.tsv"), lines);
        Files.write(out.resolve("refs.tsv"), List.of("patients\t" + String.join(",", pat),
                "practitioners\t" + String.join(",", prac), "locations\t" + String.join(",", loc)));
        System.out.printf("setup: %d patients, %d practitioners, %d locations, %d booked appointments "
                + "(ids %s..%s) in %.1f s%n", pat.size(), prac.size(), loc.size(), n, ids.get(0), ids.get(n - 1),
                (System.currentTimeMillis() - t0) / 1000.0);
    }

    interface Creator {
        String create(int i) throws Exception;
    }

    static List<String> createAll(ExecutorService pool, int count, Creator c) throws Exception {
        List<Future<String>> fs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = i;
            fs.add(pool.submit(() -> c.create(k)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : fs) {
            ids.add(f.get());
        }
        return ids;
    }

    // ---------------------------------------------------------------------------------------------------------
    // changes

    /** Categories in report order: name, base count (for n >= 400), what is expected. */
    static final String[][] CATEGORIES = {
        {"reschedule", "60", "appointment.rescheduled"},
        {"practitioner-swap", "30", "appointment.rescheduled"},
        {"reorder-only", "30", "no event"},
        {"cancel", "40", "appointment.cancelled"},
        {"no-show", "25", "appointment.no_show"},
        {"complete", "25", "appointment.completed"},
        {"comment-only", "30", "no event"},
        {"rebook", "20", "B: appointment.rescheduled (previous.id = A); A: 0 or 1 appointment.cancelled"},
        {"delete", "20", "appointment.cancelled, reason deleted"},
        {"new", "10", "appointment.scheduled"},
        {"double", "8", "appointment.rescheduled then appointment.cancelled (<1 s apart)"},
    };

    record Action(String category, Appt target, long offsetMillis) {
    }

    static final List<String> expect = new ArrayList<>();
    static final List<String> log = new ArrayList<>();
    static int failures;

    /** expect.tsv: category, appointment id, type ("-" = none), min, max, change time ms, note. */
    static void expect(String cat, String id, String type, int min, int max, long at, String note) {
        expect.add(String.join("\t", cat, id, type, Integer.toString(min), Integer.toString(max), Long.toString(at),
                note));
    }

    static void changes(String fhirBase, Path out, long pollMillis, int durationSeconds, long seed) throws Exception {
        base = fhirBase.replaceAll("/+$", "");
        List<Appt> appts = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("appointments.tsv"))) {
            appts.add(Appt.of(line));
        }
        Map<String, List<String>> refs = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("refs.tsv"))) {
            String[] f = line.split("\t");
            refs.put(f[0], List.of(f[1].split(",")));
        }
        runId = appts.get(0).tag.replaceAll("-\\d+$", "");
        Random rnd = new Random(seed);
        List<Appt> pool = new ArrayList<>(appts);
        Collections.shuffle(pool, rnd);
        double scale = Math.min(1.0, appts.size() / 400.0);
        List<Action> actions = new ArrayList<>();
        int next = 0, fresh = 0;
        long span = durationSeconds * 1000L;
        for (String[] c : CATEGORIES) {
            int count = Math.max(1, (int) Math.round(Integer.parseInt(c[1]) * scale));
            for (int i = 0; i < count; i++) {
                Appt target;
                if (c[0].equals("new")) {
                    target = new Appt();
                    target.tag = runId + "-new-" + fresh++;
                    target.patient = pick(refs.get("patients"), rnd);
                    target.practitioner = pick(refs.get("practitioners"), rnd);
                    target.location = pick(refs.get("locations"), rnd);
                    target.start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2 + rnd.nextInt(20),
                            ChronoUnit.DAYS);
                } else {
                    target = pool.get(next++);
                }
                actions.add(new Action(c[0], target, (long) (rnd.nextDouble() * span)));
            }
        }
        actions.sort((a, b) -> Long.compare(a.offsetMillis, b.offsetMillis));
        System.out.printf("changes: %d actions over %d s on %d appointments (seed %d)%n", actions.size(),
                durationSeconds, next, seed);
        long t0 = System.currentTimeMillis();
        for (Action a : actions) {
            long wait = t0 + a.offsetMillis - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            try {
                perform(a, refs, rnd);
            } catch (Exception e) {
                failures++;
                log.add(Instant.now() + "\tFAILED\t" + a.category + "\t" + a.target.id + "\t" + e.getMessage());
            }
        }
        Files.write(out.resolve("expect.tsv"), expect);
        Files.write(out.resolve("changes.log"), log);
        System.out.printf("changes: done in %.1f s, %d failed requests (see changes.log)%n",
                (System.currentTimeMillis() - t0) / 1000.0, failures);
        if (failures > 0) {
            System.exit(1);
        }
    }

    static String pick(List<String> l, Random rnd) {
        return l.get(rnd.nextInt(l.size()));
    }

    static String other(List<String> l, String not, Random rnd) {
        String s;
        do {
            s = pick(l, rnd);
        } while (s.equals(not));
        return s;
    }

    static Reply put(Appt a) throws IOException, InterruptedException {
        Reply r = send("PUT", "Appointment/" + a.id, a.json());
        logReply("PUT", a.id, r);
        if (r.status() != 200) {
            throw new IllegalStateException("PUT Appointment/" + a.id + " answered " + r.status() + " " + r.body());
        }
        return r;
    }

    static void logReply(String method, String id, Reply r) {
        log.add(Instant.ofEpochMilli(r.atMillis()) + "\t" + method + "\tAppointment/" + id + "\t" + r.status());
    }

    static void reschedule(Appt a, Random rnd) {
        a.start = a.start.plus((1 + rnd.nextInt(48)) * 30L, ChronoUnit.MINUTES);
    }

    static void perform(Action act, Map<String, List<String>> refs, Random rnd) throws Exception {
        Appt a = act.target;
        String cat = act.category;
        switch (cat) {
            case "reschedule" -> {
                reschedule(a, rnd);
                expect(cat, a.id, "appointment.rescheduled", 1, 1, put(a).atMillis(), "");
            }
            case "practitioner-swap" -> {
                a.practitioner = other(refs.get("practitioners"), a.practitioner, rnd);
                expect(cat, a.id, "appointment.rescheduled", 1, 1, put(a).atMillis(), "");
            }
            case "reorder-only" -> {
                a.reversed = true;
                expect(cat, a.id, "-", 0, 0, put(a).atMillis(), "");
            }
            case "cancel" -> {
                a.status = "cancelled";
                expect(cat, a.id, "appointment.cancelled", 1, 1, put(a).atMillis(), "");
            }
            case "no-show" -> {
                a.status = "noshow";
                expect(cat, a.id, "appointment.no_show", 1, 1, put(a).atMillis(), "");
            }
            case "complete" -> {
                a.status = "fulfilled";
                expect(cat, a.id, "appointment.completed", 1, 1, put(a).atMillis(), "");
            }
            case "comment-only" -> {
                a.comment = "bench comment " + rnd.nextInt(1_000_000);
                expect(cat, a.id, "-", 0, 0, put(a).atMillis(), "");
            }
            case "rebook" -> {
                a.status = "cancelled";
                long cancelledAt = put(a).atMillis();
                Appt b = new Appt();
                b.tag = a.tag + "-rebooked";
                b.patient = a.patient;
                b.practitioner = a.practitioner;
                b.location = a.location;
                b.start = a.start;
                reschedule(b, rnd);
                b.replaces = a.id;
                Reply r = send("POST", "Appointment", b.json());
                b.id = idOf("Appointment", r);
                logReply("POST", b.id + " (replaces " + a.id + ")", r);
                expect(cat, a.id, "appointment.cancelled", 0, 1, cancelledAt, "A of B=" + b.id);
                expect(cat, b.id, "appointment.rescheduled", 1, 1, r.atMillis(), "previous=" + a.id);
            }
            case "delete" -> {
                Reply r = send("DELETE", "Appointment/" + a.id, null);
                logReply("DELETE", a.id, r);
                if (r.status() != 200 && r.status() != 204) {
                    throw new IllegalStateException("DELETE Appointment/" + a.id + " answered " + r.status());
                }
                expect(cat, a.id, "appointment.cancelled", 1, 1, r.atMillis(), "reason=deleted");
            }
            case "new" -> {
                Reply r = send("POST", "Appointment", a.json());
                a.id = idOf("Appointment", r);
                logReply("POST", a.id, r);
                expect(cat, a.id, "appointment.scheduled", 1, 1, r.atMillis(), "");
            }
            case "double" -> {
                reschedule(a, rnd);
                long first = put(a).atMillis();
                Thread.sleep(200 + rnd.nextInt(600));
                a.status = "cancelled";
                long second = put(a).atMillis();
                expect(cat, a.id, "appointment.rescheduled", 1, 1, first, "gap_ms=" + (second - first));
                expect(cat, a.id, "appointment.cancelled", 1, 1, second, "");
            }
            default -> throw new IllegalArgumentException(cat);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // compare

    record Event(String id, String type, long receivedMillis, String payload) {
    }

    static final class Row {
        String category, id, type, note;
        int min, max;
        long at;
        List<Event> found = new ArrayList<>();
    }

    static final class Tally {
        int changes, expected, found, missing, acceptedMissing, unexpected, duplicate, badPayload, optionalSeen,
                optional;
    }

    static String plainId(String s) {
        return s.replaceFirst("^.*Appointment/", "");
    }

    static int compare(Path out, long pollMillis) throws IOException {
        Set<String> ours = new HashSet<>();
        for (String line : Files.readAllLines(out.resolve("appointments.tsv"))) {
            ours.add(line.split("\t")[0]);
        }
        List<Row> rows = new ArrayList<>();
        Map<String, String> categoryOf = new HashMap<>();
        Map<String, Set<String>> changesPer = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("expect.tsv"))) {
            String[] f = line.split("\t", -1);
            Row r = new Row();
            r.category = f[0];
            r.id = f[1];
            r.type = f[2];
            r.min = Integer.parseInt(f[3]);
            r.max = Integer.parseInt(f[4]);
            r.at = Long.parseLong(f[5]);
            r.note = f[6];
            rows.add(r);
            ours.add(r.id);
            categoryOf.put(r.id, r.category);
            if (!r.note.startsWith("A of B=")) { // a rebooking is one change: count it by B
                changesPer.computeIfAbsent(r.category, k -> new HashSet<>()).add(r.id);
            }
        }
        Map<String, Row> byKey = new HashMap<>();
        for (Row r : rows) {
            if (!r.type.equals("-")) {
                byKey.put(r.id + " " + r.type, r);
            }
        }
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (String[] c : CATEGORIES) {
            tallies.put(c[0], new Tally());
            tallies.get(c[0]).changes = changesPer.getOrDefault(c[0], Set.of()).size();
        }
        tallies.put("untouched", new Tally());
        int foreign = 0, total = 0;
        List<String> problems = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("events.tsv"))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 4);
            Event e = new Event(plainId(f[0]), f[1], Long.parseLong(f[2]), f.length > 3 ? f[3] : "");
            total++;
            if (!ours.contains(e.id)) {
                foreign++;
                continue;
            }
            Row r = byKey.get(e.id + " " + e.type);
            if (r == null) {
                String cat = categoryOf.getOrDefault(e.id, "untouched");
                tallies.get(cat).unexpected++;
                problems.add("unexpected  " + cat + " Appointment/" + e.id + " " + e.type);
            } else {
                r.found.add(e);
            }
        }
        List<Double> latencies = new ArrayList<>();
        for (Row r : rows) {
            Tally t = tallies.get(r.category);
            if (r.type.equals("-")) {
                continue;
            }
            boolean optional = r.min == 0;
            boolean doubleFirst = r.category.equals("double") && r.type.equals("appointment.rescheduled");
            if (optional) {
                t.optional++;
                t.optionalSeen += r.found.isEmpty() ? 0 : 1;
            } else {
                t.expected++;
            }
            if (r.found.isEmpty()) {
                if (doubleFirst && Long.parseLong(r.note.replace("gap_ms=", "")) < pollMillis) {
                    t.acceptedMissing++;
                } else if (!optional) {
                    t.missing++;
                    problems.add("missing     " + r.category + " Appointment/" + r.id + " " + r.type);
                }
                continue;
            }
            if (!optional) {
                t.found++;
            }
            if (r.found.size() > r.max) {
                t.duplicate += r.found.size() - r.max;
                problems.add("duplicate   " + r.category + " Appointment/" + r.id + " " + r.type + " x"
                        + r.found.size());
            }
            Event first = r.found.get(0);
            String bad = null;
            if (r.note.startsWith("previous=")) {
                Matcher m = Pattern.compile("\"previous\":\\{\"id\":\"([^\"]*)\"").matcher(first.payload());
                String prev = m.find() ? plainId(m.group(1)) : null;
                if (!r.note.substring("previous=".length()).equals(prev)) {
                    bad = "previous.id " + prev + ", expected " + r.note.substring("previous=".length());
                }
            } else if (r.note.equals("reason=deleted") && !first.payload().contains("\"reason\":\"deleted\"")) {
                bad = "no \"reason\":\"deleted\"";
            }
            if (bad != null) {
                t.badPayload++;
                problems.add("bad payload " + r.category + " Appointment/" + r.id + " " + r.type + ": " + bad);
            }
            if (!optional) {
                latencies.add((first.receivedMillis() - r.at) / 1000.0);
            }
        }

        Tally sum = new Tally();
        System.out.printf("%-18s %7s %8s %6s %7s %10s %9s  %s%n", "category", "changes", "expected", "found",
                "missing", "unexpected", "duplicate", "notes");
        for (Map.Entry<String, Tally> en : tallies.entrySet()) {
            Tally t = en.getValue();
            String notes = "";
            switch (en.getKey()) {
                case "rebook" -> notes = String.format("A cancelled sent for %d of %d (0 or 1 allowed)",
                        t.optionalSeen, t.optional);
                case "double" -> notes = String.format("reschedule before cancel: %d missing but accepted "
                        + "(both within one poll interval)", t.acceptedMissing);
                case "delete", "untouched" -> notes = en.getKey().equals("delete")
                        ? "reason \"deleted\" checked" : "baseline appointments no change touched";
                default -> notes = "";
            }
            if (t.badPayload > 0) {
                notes += (notes.isEmpty() ? "" : "; ") + t.badPayload + " bad payload";
            }
            System.out.printf("%-18s %7d %8d %6d %7d %10d %9d  %s%n", en.getKey(), t.changes, t.expected, t.found,
                    t.missing, t.unexpected, t.duplicate, notes);
            sum.expected += t.expected;
            sum.found += t.found;
            sum.missing += t.missing;
            sum.acceptedMissing += t.acceptedMissing;
            sum.unexpected += t.unexpected;
            sum.duplicate += t.duplicate;
            sum.badPayload += t.badPayload;
        }
        Files.write(out.resolve("problems.txt"), problems);
        if (!problems.isEmpty()) {
            System.out.println("first problems (all in problems.txt):");
            problems.stream().limit(15).forEach(p -> System.out.println("  " + p));
        }
        Collections.sort(latencies);
        String latency = latencies.isEmpty() ? "PUT→event: no events"
                : String.format("PUT→event p50 %.1f s, max %.1f s", latencies.get((latencies.size() - 1) / 2),
                        latencies.get(latencies.size() - 1));
        Tally del = tallies.get("delete");
        System.out.printf("events in table for source hapi: %d (%d for appointments of other runs)%n", total, foreign);
        System.out.printf("expected %d, missing %d%s, unexpected %d, duplicate %d%s; deletes %d/%d; %s "
                + "(poll interval %s)%n", sum.expected, sum.missing,
                sum.acceptedMissing > 0 ? " (+" + sum.acceptedMissing + " accepted)" : "", sum.unexpected,
                sum.duplicate, sum.badPayload > 0 ? ", bad payload " + sum.badPayload : "", del.found - del.badPayload,
                del.expected, latency, pollMillis % 1000 == 0 ? pollMillis / 1000 + "s" : pollMillis + "ms");
        return sum.missing + sum.unexpected + sum.duplicate + sum.badPayload > 0 ? 1 : 0;
    }
}
