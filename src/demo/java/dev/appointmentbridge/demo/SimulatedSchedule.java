package dev.appointmentbridge.demo;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** The demo's FHIR clinic (served by {@link SimulatedFhirResource}): a change every few seconds, no deletes. */
@ApplicationScoped
public class SimulatedSchedule extends SimulatedFrontDesk {

    public SimulatedSchedule() {
        super("clinic", 42, false);
    }

    @Scheduled(every = "${bridge.demo.change-every:4s}", delayed = "3s")
    void frontDeskActivity() {
        activity();
    }
}
