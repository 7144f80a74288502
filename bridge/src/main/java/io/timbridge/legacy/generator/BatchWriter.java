package io.timbridge.legacy.generator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Inserts rows into one table through a JDBC batch, committing every {@code batchSize} rows so
 * memory and transaction size stay bounded however many rows are written.
 */
final class BatchWriter implements AutoCloseable {

    private final Connection connection;
    private final PreparedStatement statement;
    private final int[] sqlTypes;
    private final int batchSize;
    private int pending;
    private long written;

    /**
     * @param columns  column names, each followed by its {@link Types} constant, e.g.
     *                 {@code "user_id", Types.VARCHAR, "created_at_ms", Types.BIGINT}
     */
    BatchWriter(Connection connection, String table, int batchSize, Object... columns) throws SQLException {
        this.connection = connection;
        this.batchSize = batchSize;
        this.sqlTypes = new int[columns.length / 2];
        StringBuilder names = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < sqlTypes.length; i++) {
            names.append(i == 0 ? "" : ", ").append(columns[2 * i]);
            marks.append(i == 0 ? "?" : ", ?");
            sqlTypes[i] = (Integer) columns[2 * i + 1];
        }
        this.statement = connection.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")");
    }

    void row(Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                statement.setNull(i + 1, sqlTypes[i]);
            } else {
                statement.setObject(i + 1, values[i], sqlTypes[i]);
            }
        }
        statement.addBatch();
        written++;
        if (++pending == batchSize) {
            flush();
        }
    }

    /** The id for the next row of a table numbered 1, 2, … in insertion order. */
    long nextId() {
        return written + 1;
    }

    long written() {
        return written;
    }

    private void flush() throws SQLException {
        if (pending > 0) {
            statement.executeBatch();
            connection.commit();
            pending = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
        } finally {
            statement.close();
        }
    }
}
