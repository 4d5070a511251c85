package dev.appointmentbridge.poll;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.appointmentbridge.snapshot.Snapshot;

/**
 * Snapshots written earlier in the running cycle, so a page only asks the database for ids it has not
 * seen yet; and when the source had no snapshots at the start (first sync), it asks for nothing at all.
 */
final class CycleSnapshots {

    @FunctionalInterface
    interface Loader {
        Map<String, Snapshot> load(Collection<String> ids) throws SQLException;
    }

    private final boolean storeWasEmpty;
    private final Map<String, Snapshot> written = new HashMap<>();

    CycleSnapshots(boolean storeWasEmpty) {
        this.storeWasEmpty = storeWasEmpty;
    }

    Map<String, Snapshot> known(Collection<String> ids, Loader loader) throws SQLException {
        Map<String, Snapshot> known = new HashMap<>(ids.size() * 2);
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Snapshot s = written.get(id);
            if (s != null) {
                known.put(id, s);
            } else {
                missing.add(id);
            }
        }
        if (!storeWasEmpty && !missing.isEmpty()) {
            known.putAll(loader.load(missing));
        }
        return known;
    }

    /** True when no snapshot of this id can exist yet: the store was empty and this cycle has not written it. */
    boolean certainlyNew(String id) {
        return storeWasEmpty && !written.containsKey(id);
    }

    void written(Collection<Snapshot> snapshots) {
        for (Snapshot s : snapshots) {
            written.put(s.appointmentId(), s);
        }
    }
}
