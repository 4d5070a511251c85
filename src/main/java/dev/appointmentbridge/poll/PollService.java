package dev.appointmentbridge.poll;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.appointmentbridge.event.EventType;
import dev.appointmentbridge.source.FhirSource;
import dev.appointmentbridge.source.SourceFetchException;
import dev.appointmentbridge.source.SourceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs a cycle for a source and reports it: one log line, metrics, and the failure on the source's row. */
@ApplicationScoped
public class PollService {

    private static final Logger LOG = Logger.getLogger(PollService.class);

    @Inject
    SourceRegistry sources;

    @Inject
    PollCycle cycle;

    @Inject
    SourceStateStore states;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    public Optional<FhirSource> find(String name) {
        return sources.find(name);
    }

    /** Polls the named source now; empty when it is unknown or its cycle failed (already recorded). */
    public Optional<CycleResult> poll(String name) {
        Optional<FhirSource> source = sources.find(name);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Timer.Sample timer = Timer.start(registry);
        try {
            CycleResult result = cycle.run(source.get());
            timer.stop(registry.timer("bridge.poll.duration", "source", name));
            report(name, result);
            return Optional.of(result);
        } catch (SourceFetchException e) {
            fail(name, e.status(), e.getMessage());
        } catch (SQLException e) {
            fail(name, 0, "database error " + e.getSQLState());
        } catch (RuntimeException e) {
            fail(name, 0, "unexpected " + e.getClass().getSimpleName());
        }
        return Optional.empty();
    }

    private void report(String name, CycleResult result) {
        if (result.skipped()) {
            LOG.debugf("Poll source=%s skipped: another replica holds it", name);
            registry.counter("bridge.poll.cycles", "source", name, "result", "skipped").increment();
            return;
        }
        registry.counter("bridge.poll.cycles", "source", name, "result", "ok").increment();
        for (Map.Entry<EventType, Integer> e : result.events().entrySet()) {
            registry.counter("bridge.poll.events", "source", name, "type", e.getKey().wireName())
                    .increment(e.getValue());
        }
        if (result.records() > 0 || result.eventCount() > 0) {
            LOG.infof("Poll source=%s pages=%d records=%d events=%d%s cursor=%s", name, result.pages(),
                    result.records(), result.eventCount(), result.baseline() ? " (baseline, no events)" : "",
                    result.cursor());
        }
    }

    private void fail(String name, int status, String reason) {
        LOG.warnf("Poll source=%s failed, nothing committed, will retry next interval: %s", name, reason);
        registry.counter("bridge.poll.failures", "source", name, "status", Integer.toString(status)).increment();
        registry.counter("bridge.poll.cycles", "source", name, "result", "failed").increment();
        try (Connection c = dataSource.getConnection()) {
            states.recordFailure(c, name, reason);
        } catch (SQLException e) {
            LOG.warnf("Could not record the failed poll of %s: database error %s", name, e.getSQLState());
        }
    }
}
