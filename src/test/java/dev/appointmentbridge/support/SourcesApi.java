package dev.appointmentbridge.support;

import static io.restassured.RestAssured.given;

import dev.appointmentbridge.poll.page.CycleResult;
import dev.appointmentbridge.poll.PollService;
import io.restassured.path.json.JsonPath;

/** Polled sources as tests drive and read them: a cycle now, and the source's row of {@code GET /admin/sources}. */
public final class SourcesApi {

    private SourcesApi() {
    }

    /** Runs one cycle of {@code source}; fails the test with the source's last error when it failed. */
    public static CycleResult poll(PollService polls, String source) {
        return polls.poll(source).orElseThrow(() -> new AssertionError("poll of " + source + " failed: "
                + source(source).getString("last_error")));
    }

    /** The source's entry in {@code GET /admin/sources}. */
    public static JsonPath source(String name) {
        return new JsonPath(given().get("/admin/sources").then().statusCode(200).extract().asString())
                .setRootPath("find { it.name == '" + name + "' }");
    }
}
