package dev.appointmentbridge.demo;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the demo build only (`-Pdemo`): finds a database before Quarkus starts, then runs the
 * service in the `demo` profile. Production builds have no such class and use the generated main.
 */
@QuarkusMain
public class DemoMain {

    public static void main(String... args) {
        if (System.getProperty("quarkus.profile") == null && System.getenv("QUARKUS_PROFILE") == null) {
            System.setProperty("quarkus.profile", "demo");
        }
        DemoDatabase.select();
        Quarkus.run(args);
    }
}
