package dev.appointmentbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import dev.appointmentbridge.delivery.store.DeliveryOrder;
import dev.appointmentbridge.delivery.store.DeliveryStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Hibernate keeps one interpretation of a native query per SQL text and result mapping, all under the hash of the SQL.
 * A mapping that never equals the previous call's (createNativeQuery(sql, Long.class) built one) added an entry per
 * call: a growing list searched with deep comparisons on every execution (a third of the receiving writers' CPU with
 * targets configured), evicting the interpretations of other queries. The hot statements reuse theirs.
 */
@QuarkusTest
@TestProfile(QueueOnlyProfile.class)
class NativeQueryCacheTest {

    @Inject
    SessionFactory sessionFactory;

    @Inject
    DeliveryOrder order;

    @Inject
    DeliveryStore store;

    @Inject
    OutboxNotifier notifier;

    private int cached() {
        return sessionFactory.unwrap(SessionFactoryImplementor.class).getQueryEngine().getInterpretationCache()
                .getNumberOfCachedQueryPlans();
    }

    @Test
    void theHotStatementsReuseTheirInterpretation() {
        for (int round = 0; round < 3; round++) { // every statement interpreted once
            exercise();
        }
        int before = cached();
        for (int round = 0; round < 100; round++) {
            exercise();
        }
        int grown = cached() - before;
        assertTrue(grown < 10, "100 rounds of the same statements added " + grown + " interpretations");
    }

    private void exercise() {
        QuarkusTransaction.requiringNew().run(() -> {
            order.lockKeys(new String[] { "cache-t" }, new String[] { "cache-a" });
            order.lockRows(List.of(-1L));
            order.stranded(1);
        });
        store.record(List.of());
        store.releaseStranded(1);
    }
}
