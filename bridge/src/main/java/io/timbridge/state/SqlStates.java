package io.timbridge.state;

import java.sql.SQLException;

/** SQLState classes, the same on H2, MySQL/MariaDB and PostgreSQL. */
public final class SqlStates {
    /** Data exception, e.g. a value too long for its column. */
    public static final String DATA = "22";
    /** Integrity constraint violation, e.g. a duplicate key. */
    public static final String INTEGRITY = "23";

    private SqlStates() {
    }

    /**
     * Whether the failure or any of its causes is an {@link SQLException} of one of the SQLState classes; drivers
     * and Spring's JDBC templates wrap the one that carries the state.
     */
    public static boolean inClass(Throwable failure, String... classes) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                for (String c : classes) {
                    if (sql.getSQLState().startsWith(c)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
