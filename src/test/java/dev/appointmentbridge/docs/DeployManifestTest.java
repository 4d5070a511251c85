package dev.appointmentbridge.docs;

import dev.appointmentbridge.support.Management;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.test.junit.QuarkusTest;

/** deploy/kubernetes.yaml stays true to the service: probe paths answer, settings exist, grace covers shutdown. */
@QuarkusTest
class DeployManifestTest {

    @ConfigProperty(name = "quarkus.shutdown.timeout")
    java.time.Duration shutdownTimeout;

    @Test
    void theSampleManifestMatchesTheService() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = new YAMLFactory().createParser(new File("deploy/kubernetes.yaml"))) {
            Iterator<JsonNode> it = yaml.readValues(parser, JsonNode.class);
            it.forEachRemaining(docs::add);
        }
        JsonNode deployment = docs.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertTrue(deployment.path("spec").path("replicas").asInt() >= 2, "a scale-out sample");
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > shutdownTimeout.toSeconds(),
                "the grace period outlasts quarkus.shutdown.timeout");

        JsonNode container = pod.path("containers").get(0);
        Map<String, Integer> ports = new java.util.HashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        assertEquals(Map.of("http", 8080, "management", 9000), ports, "the public and the management port");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            String path = get.path("path").asText();
            assertTrue(!path.isEmpty(), probe + " is set");
            assertEquals("management", get.path("port").asText(), probe + " asks the management port");
            assertTrue(container.path(probe).path("timeoutSeconds").asInt() >= 3,
                    probe + " sets a timeout that holds under load (the default 1 s does not)");
            Management.given().get(path).then().statusCode(200);
            given().get(path).then().statusCode(404);
        }
        JsonNode annotations = deployment.path("spec").path("template").path("metadata").path("annotations");
        assertEquals("9000", annotations.path("prometheus.io/port").asText(), "Prometheus scrapes the management port");
        Management.given().get(annotations.path("prometheus.io/path").asText()).then().statusCode(200);
        JsonNode service = docs.stream().filter(d -> "Service".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        service.path("spec").path("ports").forEach(p -> assertEquals("http", p.path("targetPort").asText(),
                "the Service exposes the public port only"));

        List<String> names = new ArrayList<>();
        docs.stream().filter(d -> "Secret".equals(d.path("kind").asText()))
                .forEach(d -> d.path("stringData").fieldNames().forEachRemaining(names::add));
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        List<Pattern> known = new ArrayList<>();
        for (String key : ConfigReferenceTest.keys()) {
            // After upper-casing and replacing . and - only [A-Z0-9_] is left, so no quoting is needed.
            known.add(Pattern.compile(key.toUpperCase().replaceAll("[.\\-]", "_").replace("<NAME>", "[A-Z0-9]+")
                    .replace("\"NAME\"", ".+")));
        }
        List<String> unknown = names.stream().filter(n -> n.startsWith("BRIDGE_"))
                .filter(n -> known.stream().noneMatch(p -> p.matcher(n).matches())).toList();
        assertEquals(List.of(), unknown, "BRIDGE_* variables that configure nothing");
    }
}
