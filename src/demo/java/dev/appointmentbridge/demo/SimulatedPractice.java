package dev.appointmentbridge.demo;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The demo's second system, a practice-management API in plain JSON with no change filter (served by
 * {@link SimulatedJsonApiResource}, polled in window mode): it also deletes appointments outright.
 */
@ApplicationScoped
public class SimulatedPractice extends SimulatedFrontDesk {

    public SimulatedPractice() {
        super("practice", 7, true);
    }

    @Scheduled(every = "${bridge.demo.change-every:4s}", delayed = "5s")
    void frontDeskActivity() {
        activity();
    }
}
