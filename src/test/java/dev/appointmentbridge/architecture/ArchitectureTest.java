package dev.appointmentbridge.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages' arrows run one way, along the flow of design.md: source → diff → poll → event → delivery,
 * inbound → event; health and security look at the features but nothing looks at them; admin, the operator
 * view, may use everything and nothing uses it. A new arrow against the flow fails here with its classes.
 */
class ArchitectureTest {

    private static final String BASE = "dev.appointmentbridge";

    /** Package → the project packages it may depend on (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("common", Set.of()),
            Map.entry("source", Set.of("common")),
            Map.entry("snapshot", Set.of("common")),
            Map.entry("quarantine", Set.of("common")),
            Map.entry("diff", Set.of("event", "snapshot", "source")),
            Map.entry("event", Set.of("common")),
            Map.entry("poll", Set.of("common", "diff", "event", "snapshot", "source", "quarantine")),
            Map.entry("delivery", Set.of("common", "event")),
            Map.entry("inbound", Set.of("common", "event", "poll")),
            Map.entry("security", Set.of("common")),
            Map.entry("health", Set.of("common", "poll", "source", "delivery")),
            Map.entry("retention", Set.of("common", "delivery", "event")),
            Map.entry("admin", Set.of("common", "delivery", "event", "poll", "quarantine", "source")));

    @Test
    void dependenciesRunOneWay() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
        Set<String> violations = new TreeSet<>();
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = feature(c.getPackageName());
            if (from == null || "demo".equals(from)) {
                continue;
            }
            packages.add(from);
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) {
                violations.add("package " + from + " is not in the allowed map of this test");
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = feature(d.getTargetClass().getPackageName());
                if (to != null && !to.equals(from) && !allowed.contains(to)) {
                    violations.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        assertTrue(packages.size() >= 10, "imported the main classes: " + packages);
        assertEquals(Set.of(), violations, "arrows against the flow");
    }

    /** "dev.appointmentbridge.poll" → "poll"; null outside the project. */
    private static String feature(String packageName) {
        if (!packageName.startsWith(BASE + ".")) {
            return null;
        }
        String rest = packageName.substring(BASE.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
