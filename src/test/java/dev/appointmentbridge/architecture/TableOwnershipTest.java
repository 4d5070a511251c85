package dev.appointmentbridge.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * Issue 11: each table has one owner. Every table the migrations create is mapped by exactly one entity, and
 * no main class talks JDBC beside those mappings: statements go through Hibernate (HQL, or native SQL on the
 * session where PostgreSQL needs it). The three exceptions hold a connection for what is not a table: the
 * LISTEN and NOTIFY connections of the delivery wake-up and the readiness ping.
 */
class TableOwnershipTest {

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE (\\w+)", Pattern.CASE_INSENSITIVE);

    private static final Set<String> JDBC_ALLOWED = Set.of("dev.appointmentbridge.delivery.NotificationListener",
            "dev.appointmentbridge.delivery.OutboxNotifier",
            "dev.appointmentbridge.health.RootResource");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.appointmentbridge");

    @Test
    void everyTableHasExactlyOneEntity() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path f : files.toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(f));
                while (m.find()) {
                    tables.add(m.group(1));
                }
            }
        }
        Map<String, Set<String>> owners = new TreeMap<>();
        for (JavaClass c : MAIN) {
            if (c.isAnnotatedWith(Entity.class)) {
                String table = c.tryGetAnnotationOfType(Table.class).map(Table::name).orElse(c.getSimpleName());
                owners.computeIfAbsent(table, t -> new TreeSet<>()).add(c.getSimpleName());
            }
        }
        Map<String, Integer> expected = new HashMap<>();
        Map<String, Integer> actual = new HashMap<>();
        tables.forEach(t -> expected.put(t, 1));
        owners.forEach((t, classes) -> actual.put(t, classes.size()));
        assertEquals(12, tables.size(), "tables read from the migrations: " + tables);
        assertEquals(expected, actual, "entities per table: " + owners);
    }

    @Test
    void noJdbcBesideTheMappings() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : MAIN) {
            if (JDBC_ALLOWED.contains(c.getName())) {
                continue;
            }
            for (JavaAccess<?> access : c.getAccessesFromSelf()) {
                String owner = access.getTargetOwner().getName();
                if (owner.startsWith("java.sql.") || owner.equals("javax.sql.DataSource")
                        || access.getName().equals("doWork") || access.getName().equals("doReturningWork")) {
                    violations.add(c.getSimpleName() + " -> " + owner + "." + access.getName());
                }
            }
        }
        assertEquals(Set.of(), violations, "JDBC outside the entity mappings");
    }
}
