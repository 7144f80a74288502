package io.timbridge.legacy;

import java.sql.SQLException;

/**
 * Words for a failed database statement that name the database's own error. Spring's translation
 * (camel-sql) wraps the driver's SQLException in messages such as "bad SQL grammar []" that hide the
 * code and text an operator searches for (MariaDB 1366 "Incorrect string value", PostgreSQL 22001).
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** The deepest SQLException's vendor code, SQLState and message, else the exception's own words. */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        SQLException sql = null;
        for (Throwable t = failure; t != null && sql == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
            }
        }
        if (sql == null) {
            return failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        while (sql.getNextException() != null && sql.getNextException() != sql) {
            sql = sql.getNextException();
        }
        return "database error " + sql.getErrorCode()
                + (sql.getSQLState() == null ? "" : " (SQLState " + sql.getSQLState() + ")") + ": " + sql.getMessage();
    }
}
