package io.timbridge.state;

import io.timbridge.config.Database;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Creates or upgrades the bridge state tables with Flyway, from the DDL for the database in use. */
public final class StateSchema {

    private StateSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + kindOf(dataSource).stateResourceDir())
                .table("tb_schema_history")
                // The state may share a schema with other tables: baseline below V1 so V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    static Database kindOf(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return Database.ofUrl(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw new IllegalStateException("Bridge state database unreachable: " + e.getMessage(), e);
        }
    }
}
