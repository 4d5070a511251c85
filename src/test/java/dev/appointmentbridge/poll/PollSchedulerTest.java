package dev.appointmentbridge.poll;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.FakeFhirResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With polling on, each source is polled by its own scheduler job at its own interval. */
@QuarkusTest
@QuarkusTestResource(FakeFhirResource.class)
@TestProfile(PollSchedulerTest.Scheduled.class)
class PollSchedulerTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.poll.enabled", "true", "bridge.sources.eager.poll-interval", "1s",
                    "bridge.sources.clinic.poll-interval", "1h", "bridge.sources.secured.poll-interval", "1h");
        }
    }

    @Test
    void sourcesArePolledOnTheirOwnIntervals() throws Exception {
        FakeFhirResource.eager.put("sched-1", "booked", Instant.parse("2025-03-03T09:00:00Z"), "dr-1", "pat-1");
        int clinicBefore = FakeFhirResource.clinic.searches();
        org.awaitility.Awaitility.await("the first scheduled poll").atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(200)).until(() -> given()
                        .queryParam("appointment_id", "sched-1").get("/webhook/events").jsonPath().getInt("count") > 0);
        given().queryParam("appointment_id", "sched-1").get("/webhook/events").then()
                .body("count", equalTo(1)).body("events[0].source", equalTo("eager"));
        int eagerSearches = FakeFhirResource.eager.searches();
        // The scheduler checks its triggers once a second, so a 1 s interval fires every 1-2 s.
        org.awaitility.Awaitility.await("eager polled again and again").atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> FakeFhirResource.eager.searches() >= eagerSearches + 2);
        assertTrue(FakeFhirResource.clinic.searches() <= clinicBefore + 1, "clinic polled at most once in an hour");
    }

    @Test
    void pollNowRunsACycleAndUnknownSourcesAre404() throws Exception {
        // The scheduled first poll may hold the source's lock right now: that answers 409, never a double poll.
        int[] status = new int[1];
        org.awaitility.Awaitility.await("poll now answers 200").atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    status[0] = given().post("/admin/sources/secured/poll").then().extract().statusCode();
                    assertTrue(status[0] == 200 || status[0] == 409, "poll now answered " + status[0]);
                    return status[0] == 200;
                });
        assertEquals(200, status[0]);
        given().post("/admin/sources/nope/poll").then().statusCode(404).body("status", equalTo("error"));
    }
}
