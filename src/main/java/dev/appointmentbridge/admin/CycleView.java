package dev.appointmentbridge.admin;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.appointmentbridge.poll.page.CycleResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code POST /admin/sources/{name}/poll} answers. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CycleView(boolean skipped, boolean baseline, int pages, int records, int events,
        Map<String, Integer> eventsByType, String cursor) {

    static CycleView of(CycleResult r) {
        Map<String, Integer> byType = new TreeMap<>();
        r.events().forEach((type, n) -> byType.put(type.wireName(), n));
        return new CycleView(r.skipped(), r.baseline(), r.pages(), r.records(), r.eventCount(), byType,
                r.cursor() == null ? null : r.cursor().toString());
    }
}
