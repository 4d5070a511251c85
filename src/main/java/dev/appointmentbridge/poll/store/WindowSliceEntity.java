package dev.appointmentbridge.poll.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * The {@code window_slice} table: per source, scope and slice, the items of its last complete scan
 * (the floor {@code window.min-ratio} is taken of) and of its last short one. Written by {@link DatabaseCycleStore}.
 */
@Entity
@Table(name = "window_slice")
@IdClass(WindowSliceEntity.Key.class)
public class WindowSliceEntity extends PanacheEntityBase {

    @Id
    public String source;

    /** As configured ({@code location:21304876}), or {@code all}. */
    @Id
    public String scope;

    /** The slice's start; the epoch for a window searched in one piece. */
    @Id
    @Column(name = "slice_start")
    public Instant sliceStart;

    @Column(name = "complete_items")
    public int completeItems;

    @Column(name = "short_items")
    public Integer shortItems;

    @Column(name = "scanned_at")
    public Instant scannedAt;

    /** The composite key (source, scope, slice_start). */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        public String source;
        public String scope;
        public Instant sliceStart;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(source, k.source) && Objects.equals(scope, k.scope)
                    && Objects.equals(sliceStart, k.sliceStart);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, scope, sliceStart);
        }
    }
}
