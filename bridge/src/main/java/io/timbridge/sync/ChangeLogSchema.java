package io.timbridge.sync;

import io.timbridge.config.Database;
import io.timbridge.legacy.SqlScript;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Installs the optional change log ({@code db/legacy/<database>/changelog.sql}): the
 * {@code bridge_changelog} table and the triggers that feed it. The reference legacy schema must exist.
 */
public final class ChangeLogSchema {

    private ChangeLogSchema() {
    }

    /** Runs the script for the connection's database; every statement can be run again. */
    public static void apply(Connection connection) throws SQLException {
        SqlScript.run(connection, Database.of(connection).legacyResourceDir() + "/changelog.sql");
    }
}
