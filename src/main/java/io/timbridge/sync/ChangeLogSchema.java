package io.timbridge.sync;

import io.timbridge.config.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the optional change log ({@code db/legacy/<database>/changelog.sql}): the
 * {@code bridge_changelog} table and the triggers that feed it. The reference legacy schema must exist.
 */
public final class ChangeLogSchema {

    private ChangeLogSchema() {
    }

    /** Runs the script for the connection's database; every statement can be run again. */
    public static void apply(Connection connection) throws SQLException {
        String resource = Database.of(connection).legacyResourceDir() + "/changelog.sql";
        try (Statement st = connection.createStatement()) {
            for (String sql : statements(resource)) {
                st.execute(sql);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /**
     * Splits a script into statements: each ends with ';' at the end of a line, except inside a
     * PostgreSQL {@code $$} body, whose own statements end that way too; '--' lines are comments.
     */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = ChangeLogSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("change-log script not on the classpath: " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBody = false;
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.split("\\$\\$", -1).length % 2 == 0) {
                inBody = !inBody;
            }
            if (!inBody && trimmed.endsWith(";")) {
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
