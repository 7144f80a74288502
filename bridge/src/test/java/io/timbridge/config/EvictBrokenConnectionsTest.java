package io.timbridge.config;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvictBrokenConnectionsTest {
    @TempDir
    Path dir;

    @Test
    void aConnectionJdbcCallsGoneIsEvictedAndOtherFailuresAreLeftToHikari() {
        EvictBrokenConnections override = new EvictBrokenConnections();
        assertThat(override.adjudicate(new SQLNonTransientConnectionException("closed", "90121")))
                .isEqualTo(Override.MUST_EVICT);
        assertThat(override.adjudicate(new SQLException("duplicate", "23000"))).isEqualTo(Override.CONTINUE_EVICT);
    }

    /** A pool keeps working after its H2 server restarts: the first call fails, the next gets a new connection. */
    @Test
    void aPoolRecoversRightAfterItsH2ServerRestarts() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        int port = server.getPort();
        Properties p = new Properties();
        p.setProperty("db.url", "jdbc:h2:tcp://127.0.0.1:" + port + "/restarts");
        p.setProperty("db.username", "sa");
        p.setProperty("db.maximum-pool-size", "1");
        try (var pool = Database.pool(p, "db")) {
            assertThat(selectOne(pool)).isEqualTo(1);
            server.stop();
            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(),
                    "-ifNotExists").start();
            assertThatThrownBy(() -> selectOne(pool)).isInstanceOf(SQLException.class);
            assertThat(selectOne(pool)).as("the broken connection was dropped").isEqualTo(1);
        } finally {
            server.stop();
        }
    }

    private static int selectOne(javax.sql.DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
