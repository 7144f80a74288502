package io.timbridge.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/** The three database kinds timbridge speaks, and pooled DataSources for them from properties. */
public enum Database {
    H2("h2"), MYSQL("mysql"), POSTGRESQL("postgresql");

    private final String folder;

    Database(String folder) {
        this.folder = folder;
    }

    /** Classpath folder of the bridge state migrations for this database. */
    public String stateResourceDir() {
        return "db/state/" + folder;
    }

    /** Classpath folder of the reference legacy schema for this database; MariaDB uses the MySQL files. */
    public String legacyResourceDir() {
        return "db/legacy/" + folder;
    }

    public static Database of(Connection connection) throws SQLException {
        return ofUrl(connection.getMetaData().getURL());
    }

    public static Database ofUrl(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MYSQL;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("Unsupported JDBC URL '" + jdbcUrl
                + "': timbridge supports H2, MariaDB/MySQL and PostgreSQL");
    }

    /**
     * The URL to hand the driver. MySQL URLs ({@code jdbc:mysql://}) go to the MariaDB driver, which speaks
     * MySQL 5.7/8 and takes that scheme only when told so ({@code permitMysqlScheme}); the rest are as given.
     */
    public static String driverUrl(String jdbcUrl) {
        String url = jdbcUrl.trim();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:mysql:") || url.contains("permitMysqlScheme")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
    }

    /**
     * A HikariCP pool from {@code <prefix>.url}, {@code .username}, {@code .password},
     * {@code .maximum-pool-size} (default 10), {@code .connection-timeout-ms} (default 5000: a database that
     * is down fails a call within seconds, so the circuit breakers and retries take over) and {@code .pool-name}.
     */
    public static HikariDataSource pool(Properties props, String prefix) {
        String url = props.getProperty(prefix + ".url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Missing property " + prefix + ".url (a JDBC URL)");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(driverUrl(url));
        config.setUsername(props.getProperty(prefix + ".username", ""));
        config.setPassword(props.getProperty(prefix + ".password", ""));
        config.setMaximumPoolSize(Integer.parseInt(props.getProperty(prefix + ".maximum-pool-size", "10").trim()));
        config.setConnectionTimeout(Long.parseLong(props.getProperty(prefix + ".connection-timeout-ms", "5000").trim()));
        config.setPoolName(props.getProperty(prefix + ".pool-name", prefix));
        config.setExceptionOverrideClassName(EvictBrokenConnections.class.getName());
        return new HikariDataSource(config);
    }
}
