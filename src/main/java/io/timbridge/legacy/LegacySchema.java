package io.timbridge.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Creates or drops the reference legacy schema ({@code db/legacy/<database>/schema.sql}). */
public final class LegacySchema {

    /** The reference tables, parents before children. */
    public static final List<String> TABLES = List.of(
            "users", "user_custom_fields", "friendships", "c2c_messages",
            "im_groups", "group_members", "group_messages");

    private LegacySchema() {
    }

    /** True when every reference table can be queried on this connection. */
    public static boolean isPresent(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        // A failed probe must not abort a surrounding PostgreSQL transaction.
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
            for (String table : TABLES) {
                try {
                    st.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
                } catch (SQLException absent) {
                    return false;
                }
            }
            return true;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Runs the schema script for the connection's database; every statement is IF NOT EXISTS. */
    public static void apply(Connection connection) throws SQLException {
        LegacyDatabase database = LegacyDatabase.of(connection);
        try (Statement st = connection.createStatement()) {
            for (String sql : statements(database.resourceDir() + "/schema.sql")) {
                st.execute(sql);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** Drops the reference tables (children first); absent tables are ignored. */
    public static void drop(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (int i = TABLES.size() - 1; i >= 0; i--) {
                st.execute("DROP TABLE IF EXISTS " + TABLES.get(i));
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** Splits a script into statements: each ends with ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = LegacySchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource not on the classpath: " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                result.add(current.toString());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException(resource + " ends without ';': " + current);
        }
        return result;
    }
}
