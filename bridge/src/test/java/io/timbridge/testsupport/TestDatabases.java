package io.timbridge.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, private databases for tests: H2 in memory always; MariaDB and PostgreSQL on the
 * local servers, each test in its own database (MariaDB) or schema (PostgreSQL) named
 * {@code tb_<random>}, dropped on close. An unreachable server skips the test, unless
 * {@code -Dtimbridge.require-servers=true}, which turns it into a failure.
 *
 * <p>Server addresses can be overridden with {@code timbridge.test.mariadb.url|user|password}
 * and {@code timbridge.test.postgresql.url|user|password} (URLs of an existing database).
 */
public final class TestDatabases {

    public enum Kind { H2, MARIADB, POSTGRESQL }

    private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final String POSTGRESQL_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private TestDatabases() {
    }

    public static boolean serversRequired() {
        return Boolean.getBoolean("timbridge.require-servers");
    }

    /** Creates a fresh empty database of this kind, or skips/fails the test when its server is down. */
    public static TestDatabase create(Kind kind) {
        String name = "tb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return switch (kind) {
            case H2 -> h2(name);
            case MARIADB -> mariadb(name);
            case POSTGRESQL -> postgresql(name);
        };
    }

    private static TestDatabase h2(String name) {
        // DB_CLOSE_DELAY keeps the in-memory database alive between pool connections.
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        return new TestDatabase(Kind.H2, name, url, "sa", "", () -> run(url, "sa", "", "SHUTDOWN"));
    }

    private static TestDatabase mariadb(String name) {
        String adminUrl = System.getProperty("timbridge.test.mariadb.url", MARIADB_URL);
        String user = System.getProperty("timbridge.test.mariadb.user", "root");
        String password = System.getProperty("timbridge.test.mariadb.password", "");
        try (Connection c = connect(Kind.MARIADB, withParam(adminUrl, "connectTimeout=3000"), user, password);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create MariaDB database " + name, e);
        }
        String url = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        return new TestDatabase(Kind.MARIADB, name, url, user, password,
                () -> run(adminUrl, user, password, "DROP DATABASE IF EXISTS " + name));
    }

    private static TestDatabase postgresql(String name) {
        String adminUrl = System.getProperty("timbridge.test.postgresql.url", POSTGRESQL_URL);
        String explicitUser = System.getProperty("timbridge.test.postgresql.user");
        String password = System.getProperty("timbridge.test.postgresql.password", "");
        String user = explicitUser != null ? explicitUser : firstPostgresUser(adminUrl, password);
        try (Connection c = connect(Kind.POSTGRESQL, withParam(adminUrl, "connectTimeout=3"), user, password);
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create PostgreSQL schema " + name, e);
        }
        String url = withParam(adminUrl, "currentSchema=" + name);
        return new TestDatabase(Kind.POSTGRESQL, name, url, user, password,
                () -> run(adminUrl, user, password, "DROP SCHEMA IF EXISTS " + name + " CASCADE"));
    }

    /** Trust auth accepts either role name, depending on how the server was set up. */
    private static String firstPostgresUser(String adminUrl, String password) {
        for (String candidate : new String[] {"postgres", "root"}) {
            try (Connection ignored = DriverManager.getConnection(
                    withParam(adminUrl, "connectTimeout=3"), candidate, password)) {
                return candidate;
            } catch (SQLException tryNext) {
                // fall through to the next role name
            }
        }
        return "postgres";
    }

    /** Connects, or skips (fails when servers are required) if the server does not answer. */
    private static Connection connect(Kind kind, String url, String user, String password) {
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            String message = kind.name().toLowerCase(Locale.ROOT) + " not reachable at " + url + ": " + e.getMessage();
            if (serversRequired()) {
                throw new IllegalStateException(message + " (timbridge.require-servers=true)", e);
            }
            Assumptions.abort(message);
            throw new AssertionError("unreachable");
        }
    }

    private static void run(String url, String user, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String withParam(String url, String param) {
        return url + (url.contains("?") ? "&" : "?") + param;
    }

    @FunctionalInterface
    interface Disposal {
        void run() throws SQLException;
    }

    /** One private database: a pooled DataSource plus the raw connection settings. */
    public static final class TestDatabase implements AutoCloseable {
        private final Kind kind;
        private final String name;
        private final String url;
        private final String user;
        private final String password;
        private final Disposal disposal;
        private HikariDataSource dataSource;

        TestDatabase(Kind kind, String name, String url, String user, String password, Disposal disposal) {
            this.kind = kind;
            this.name = name;
            this.url = url;
            this.user = user;
            this.password = password;
            this.disposal = disposal;
        }

        public Kind kind() {
            return kind;
        }

        public String name() {
            return name;
        }

        public String url() {
            return url;
        }

        public String user() {
            return user;
        }

        public String password() {
            return password;
        }

        public synchronized DataSource dataSource() {
            if (dataSource == null) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(url);
                config.setUsername(user);
                config.setPassword(password);
                config.setMaximumPoolSize(4);
                config.setPoolName(name);
                dataSource = new HikariDataSource(config);
            }
            return dataSource;
        }

        public Connection connection() throws SQLException {
            return dataSource().getConnection();
        }

        @Override
        public synchronized void close() throws SQLException {
            if (dataSource != null) {
                dataSource.close();
            }
            disposal.run();
        }
    }
}
