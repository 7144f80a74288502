package io.timbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.timbridge.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void aMysqlUrlIsHandedToTheMariaDbDriverWithTheSchemePermitted() {
        assertThat(Database.driverUrl("jdbc:mysql://db:3306/im")).isEqualTo("jdbc:mysql://db:3306/im?permitMysqlScheme");
        assertThat(Database.driverUrl("jdbc:mysql://db/im?useSSL=false"))
                .isEqualTo("jdbc:mysql://db/im?useSSL=false&permitMysqlScheme");
        assertThat(Database.driverUrl("jdbc:mariadb://db/im")).isEqualTo("jdbc:mariadb://db/im");
        assertThat(Database.driverUrl(" jdbc:postgresql://db/im ")).isEqualTo("jdbc:postgresql://db/im");
    }

    /** The URL a MySQL 8 user has, against the MariaDB server here: it connects, reads and writes. */
    @Test
    void aMysqlUrlWorksAgainstARealServer() throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.create(TestDatabases.Kind.MARIADB)) {
            Properties props = new Properties();
            props.setProperty("legacy.datasource.url", db.url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"));
            props.setProperty("legacy.datasource.username", db.user());
            props.setProperty("legacy.datasource.password", db.password());
            try (HikariDataSource pool = Database.pool(props, "legacy.datasource");
                 Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id INT PRIMARY KEY, nick VARCHAR(20))");
                st.execute("INSERT INTO t VALUES (1, '用户')");
                try (ResultSet rs = st.executeQuery("SELECT nick FROM t WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("用户");
                }
                assertThat(Database.of(c)).isEqualTo(Database.MYSQL);
            }
        }
    }
}
