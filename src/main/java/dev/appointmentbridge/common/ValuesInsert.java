package dev.appointmentbridge.common;

import java.util.List;

import org.hibernate.StatelessSession;
import org.hibernate.query.MutationQuery;

/**
 * Multi-row HQL {@code insert into Entity (...) values (...), (...) [on conflict ...]} through the entity's
 * mapping: one statement per chunk instead of one per row (an IDENTITY id turns off Hibernate's JDBC batching).
 * Chunks have power-of-two sizes up to {@value #MAX_ROWS} rows, so Hibernate's query plan cache holds at most
 * nine plans per statement, whatever the batch sizes, and a chunk stays far below PostgreSQL's 65,535
 * bind parameters.
 */
public final class ValuesInsert {

    static final int MAX_ROWS = 256;

    private ValuesInsert() {
    }

    /**
     * @param head  {@code insert into Entity (a, b, c)}
     * @param tail  what follows the values list, e.g. {@code on conflict do nothing}; may be empty
     * @param rows  one array per row, its values in the order of {@code head}'s attributes
     * @return rows inserted (or updated by an {@code on conflict do update})
     */
    public static int execute(StatelessSession session, String head, String tail, List<Object[]> rows) {
        int done = 0;
        int affected = 0;
        while (done < rows.size()) {
            int n = Integer.highestOneBit(Math.min(rows.size() - done, MAX_ROWS));
            int width = rows.get(done).length;
            MutationQuery query = session.createMutationQuery(sql(head, tail, n, width));
            int p = 1;
            for (int i = done; i < done + n; i++) {
                for (Object value : rows.get(i)) {
                    query.setParameter(p++, value);
                }
            }
            affected += query.executeUpdate();
            done += n;
        }
        return affected;
    }

    static String sql(String head, String tail, int rows, int width) {
        StringBuilder sql = new StringBuilder(head.length() + tail.length() + rows * width * 6).append(head)
                .append(" values ");
        int p = 1;
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < width; c++) {
                sql.append(c == 0 ? "?" : ", ?").append(p++);
            }
            sql.append(')');
        }
        return sql.append(' ').append(tail).toString();
    }
}
