package dev.appointmentbridge.common;

import java.util.ArrayList;
import java.util.List;

import org.hibernate.StatelessSession;
import org.hibernate.query.NativeQuery;

/**
 * Native selects of one column, with a result mapping Hibernate finds again. Hibernate keeps one interpretation of a
 * native query per SQL text and result mapping, all under the hash of the SQL; the mapping that
 * {@code createNativeQuery(sql, Long.class)} builds never equals the previous call's, so every call added one more:
 * a list that grows to the cache's size, searched with deep comparisons on every execution, while it evicts the
 * interpretations of every other query (NativeQueryCacheTest). A named scalar compares equal.
 */
public final class NativeColumn {

    private NativeColumn() {
    }

    /** {@code sql} selecting {@code column} (its name or alias) as {@code type}. */
    public static NativeQuery<Object[]> select(StatelessSession session, String sql, String column, Class<?> type) {
        return session.createNativeQuery(sql, Object[].class).addScalar(column, type);
    }

    /** The column's values of {@code rows}, as {@link #select} returns them. */
    public static <T> List<T> values(List<?> rows, Class<T> type) {
        List<T> values = new ArrayList<>(rows.size());
        for (Object row : rows) {
            values.add(value(row, type));
        }
        return values;
    }

    /** The column's value of one row, as {@link #select} returns it. */
    public static <T> T value(Object row, Class<T> type) {
        return type.cast(row instanceof Object[] columns ? columns[0] : row);
    }
}
