package io.timbridge.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The database products the reference legacy schema ships for; MariaDB uses the MySQL files. */
public enum LegacyDatabase {
    H2("h2"),
    MYSQL("mysql"),
    POSTGRESQL("postgresql");

    private final String resourceDir;

    LegacyDatabase(String resourceDir) {
        this.resourceDir = resourceDir;
    }

    /** Classpath folder holding this database's legacy DDL, e.g. {@code db/legacy/mysql}. */
    public String resourceDir() {
        return "db/legacy/" + resourceDir;
    }

    public static LegacyDatabase fromJdbcUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return MYSQL;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("no legacy schema for JDBC URL " + url
                + " (supported: jdbc:h2:, jdbc:mariadb:, jdbc:mysql:, jdbc:postgresql:)");
    }

    public static LegacyDatabase of(Connection connection) throws SQLException {
        return fromJdbcUrl(connection.getMetaData().getURL());
    }
}
