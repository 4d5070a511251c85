package dev.appointmentbridge.poll.store;

import java.util.List;

import org.hibernate.StatelessSession;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A {@code mode=sync-token} source's token ({@code source_state.sync_token}) and what it knew open before a full
 * listing. Writes are fenced by the lease like every other write of a cycle.
 */
@ApplicationScoped
public class SyncTokenStore {

    @Inject
    StatelessSession session;

    /** The stored token, or null: the next listing is a full one. */
    public String token(Lease lease) {
        List<String> stored = QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                "select s.syncToken from SourceStateEntity s where s.name = :name", String.class)
                .setParameter("name", lease.source()).getResultList());
        return stored.isEmpty() ? null : stored.get(0); // the one row's token, which may be null
    }

    /** Stores the token a complete listing ended with; fails if the lease was lost meanwhile. */
    public void save(Lease lease, String token) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceStateStore.renew(session, lease, null, null);
            session.createMutationQuery("update SourceStateEntity s set s.syncToken = :token"
                    + " where s.name = :name and s.fence = :fence").setParameter("token", token)
                    .setParameter("name", lease.source()).setParameter("fence", lease.fence()).executeUpdate();
        });
    }

    /** The source's appointments the bridge knows and holds open (not cancelled, not deleted). */
    public List<String> knownOpen(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery("""
                select s.appointmentId from AppointmentSnapshotEntity s
                 where s.source = :source and s.status not in ('cancelled', 'entered-in-error')
                   and s.contentHash <> 'deleted'""", String.class).setParameter("source", lease.source())
                .getResultList());
    }
}
