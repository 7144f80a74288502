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

/** The DDL scripts shipped on the classpath (reference schema, change log), split and run over JDBC. */
public final class SqlScript {

    private SqlScript() {
    }

    /** Runs every statement of the script, then commits when the connection is not in auto-commit. */
    public static void run(Connection connection, String resource) throws SQLException {
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
    public static List<String> statements(String resource) {
        String script;
        try (InputStream in = SqlScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SQL script not on the classpath: " + resource);
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
