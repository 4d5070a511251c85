package dev.appointmentbridge.common;

import org.hibernate.JDBCException;

/** What a database failure may say in a log or an answer: its SQLSTATE, never its message (it can quote values). */
public final class SqlStates {

    private SqlStates() {
    }

    /** The SQLSTATE of the first JDBC failure in the cause chain, or null when there is none. */
    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JDBCException jdbc) {
                return jdbc.getSQLState();
            }
        }
        return null;
    }

    /** True for SQLSTATE class 22 (data exception) or 23 (integrity constraint): the data, not the database. */
    public static boolean refusesData(String state) {
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}
