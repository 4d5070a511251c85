package dev.appointmentbridge.source;

import dev.appointmentbridge.source.fhir.FhirSource;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The window settings' start-time checks (issue 18): each refusal names its setting. */
class WindowSettingsTest {

    private static final String P = "bridge.sources.m.";

    @Test
    void scopesAreLocationPractitionerOrPatientWithAFhirId() {
        assertEquals(List.of(new WindowScope("location", "21304876"), new WindowScope("patient", "12-a.b")),
                WindowScope.parse(P + "scopes", List.of("location:21304876", " patient : 12-a.b ")));
        for (String bad : List.of("location:", "foo:1", "location:a b", "21304876", "location:x/../y")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WindowScope.parse(P + "scopes", List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith(P + "scopes: '" + bad + "' is not a scope"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> WindowScope.parse(P + "scopes", List.of("location:1", "location:1")));
    }

    @Test
    void fixedSearchParametersCannotTakeOverTheBridgesOwn() {
        assertDoesNotThrow(() -> FhirSource.checkSearchParams(P, "service-category=appointment&status=booked"));
        // Review of issue 18: encoded names and modifiers went through, and reached the server as _sort and date.
        for (String bad : List.of("date=ge2026-01-01", "%5Fsort=-date", "%64ate=ge2099-01-01", "date:missing=true",
                "_include:iterate=Appointment:patient", "_lastUpdated=gt2020-01-01", "location=1", "=x",
                "+date=ge2020-01-01", "actor=Location/9", "location.name=x", "_summary=count")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FhirSource.checkSearchParams(P, bad), bad);
            assertTrue(e.getMessage().startsWith(P + "search-params: '"), e.getMessage());
        }
        // Review of issue 18: accepted at start, then every poll failed with "unexpected IllegalArgumentException".
        for (String bad : List.of("svc=a b", "service-category=appointment#x", "?service-category=appointment")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FhirSource.checkSearchParams(P, bad), bad);
            assertEquals(P + "search-params is not a query string (name=value pairs joined by '&', values "
                    + "URL-encoded)", e.getMessage());
        }
    }
}
