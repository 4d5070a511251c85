package dev.appointmentbridge.docs;

import dev.appointmentbridge.support.Management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.appointmentbridge.delivery.DeliveryTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** deploy/grafana-dashboard.json stays true to the service's metrics (issue 15), with sources and targets set. */
@QuarkusTest
@TestProfile(DeliveryTestProfile.class)
class GrafanaDashboardTest {

    private static final Pattern SERIES = Pattern.compile("bridge_[a-z_]+");

    /** A renamed metric or a histogram that is not published would leave a panel empty, without an error. */
    @Test
    void theDashboardReadsOnlySeriesTheServiceExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(new File("deploy/grafana-dashboard.json"));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> exported = new HashSet<>();
        Matcher names = Pattern.compile("(?m)^(bridge_[a-z_]+)").matcher(metrics);
        while (names.find()) {
            exported.add(names.group(1));
        }
        List<String> missing = new ArrayList<>();
        int read = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher used = SERIES.matcher(target.path("expr").asText());
                while (used.find()) {
                    read++;
                    if (!exported.contains(used.group())) {
                        missing.add(panel.path("title").asText() + ": " + used.group());
                    }
                }
            }
        }
        assertTrue(read >= 10, "the dashboard reads " + read + " series");
        assertTrue(missing.isEmpty(), "series the service does not export: " + missing);
    }
}
