package dev.appointmentbridge.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.appointmentbridge.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The public port serves what rules name and nothing else: a route added without a rule is refused with every
 * key; health and metrics live on the management port and are not found on the public one.
 */
@QuarkusTest
@TestProfile(DenyByDefaultTest.BothKeys.class)
class DenyByDefaultTest {

    public static class BothKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.inbound.api-key", "inbound-key", "bridge.admin.api-key", "admin-key");
        }
    }

    @Test
    void aRouteNoRuleNamesIsRefusedWithEveryKey() {
        given().get("/reports/unnamed").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("status", equalTo("error")).body(not(containsString("patient data")));
        for (String key : new String[] { "admin-key", "inbound-key" }) {
            given().header("X-API-Key", key).get("/reports/unnamed").then().statusCode(403)
                    .body("status", equalTo("error")).body(not(containsString("patient data")));
            given().header("Authorization", "Bearer " + key).post("/reports/unnamed").then().statusCode(403)
                    .body(not(containsString("done")));
        }
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortOnly() {
        for (String path : new String[] { "/q/health", "/q/health/ready", "/q/health/live", "/q/health/group/sources",
                "/q/metrics" }) {
            given().get(path).then().statusCode(404);
            given().header("X-API-Key", "admin-key").get(path).then().statusCode(404);
        }
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("bridge_"));
    }

    @Test
    void whatUsersCallStaysReachable() {
        given().get("/").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/webhook/appointment"));
        given().get("/docs/").then().statusCode(200);
        given().get("/admin/").then().statusCode(200);
        given().get("/admin/assets/admin.js").then().statusCode(200);
        // a push route read with GET is not named public: refused, not described
        given().get("/webhook/appointment").then().statusCode(401);
        // with the key that route takes, a method it does not serve is a 405, not a refusal
        given().header("X-API-Key", "inbound-key").get("/webhook/appointment").then().statusCode(405);
        // a wrong key on a public route does not fail it
        given().header("X-API-Key", "wrong").get("/").then().statusCode(200);
    }
}
