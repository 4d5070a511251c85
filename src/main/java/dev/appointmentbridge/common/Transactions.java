package dev.appointmentbridge.common;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * One plain JDBC transaction: commit when the work returns, roll back when it throws. Used where a batch
 * of rows is written with array statements outside the ORM (event log, poll cycle, delivery outcomes).
 */
public final class Transactions {

    /** Work done on the transaction's connection; {@code E} is any checked exception it adds to SQLException. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run(Connection connection) throws E, SQLException;
    }

    private Transactions() {
    }

    public static <T, E extends Exception> T inTransaction(DataSource dataSource, Work<T, E> work)
            throws E, SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
