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
            Map.entry("config", Set.of()),
            Map.entry("source", Set.of("common", "config")),
            Map.entry("snapshot", Set.of("common", "config")),
            Map.entry("quarantine", Set.of("common", "config")),
            Map.entry("diff", Set.of("event", "snapshot", "source", "config")),
            Map.entry("event", Set.of("common", "config")),
            Map.entry("poll", Set.of("common", "diff", "event", "snapshot", "source", "quarantine", "config")),
            Map.entry("replica", Set.of("common", "config")),
            Map.entry("delivery", Set.of("common", "event", "replica", "config")),
            Map.entry("inbound", Set.of("common", "event", "poll", "config")),
            Map.entry("security", Set.of("common", "config")),
            Map.entry("health", Set.of("common", "poll", "source", "delivery", "config")),
            Map.entry("feed", Set.of("common", "delivery", "config")),
            Map.entry("retention", Set.of("common", "delivery", "event", "config")),
            Map.entry("admin", Set.of("common", "delivery", "event", "poll", "quarantine", "replica", "source",
                    "config")));

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

    /**
     * Inside a package, its sub-packages' arrows run one way too (poll.cursor → poll.page → poll.store, never
     * back): no cycle among the packages of one feature.
     */
    @Test
    void subPackagesHaveNoCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
        Map<String, Set<String>> edges = new java.util.TreeMap<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            String feature = feature(from);
            if (feature == null || "demo".equals(feature)) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if (!to.equals(from) && feature.equals(feature(to))) {
                    edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        Set<String> cycles = new TreeSet<>();
        for (String start : edges.keySet()) {
            java.util.Deque<java.util.List<String>> paths = new java.util.ArrayDeque<>();
            paths.add(java.util.List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                java.util.List<String> path = paths.poll();
                for (String next : edges.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        cycles.add(String.join(" -> ", path) + " -> " + start);
                    } else if (seen.add(next)) {
                        java.util.List<String> longer = new java.util.ArrayList<>(path);
                        longer.add(next);
                        paths.add(longer);
                    }
                }
            }
        }
        assertTrue(edges.size() >= 5, "found the sub-packages: " + edges.keySet());
        assertEquals(Set.of(), cycles, "sub-packages that depend on each other");
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
