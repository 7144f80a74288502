package io.timbridge.config;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

/**
 * Tells HikariCP to drop a pooled connection that failed with {@link SQLNonTransientConnectionException}: JDBC's
 * own word for "this connection is gone". Hikari recognises a dead connection by SQLState class 08 and a few
 * vendor codes; H2 reports a connection its restarted server closed as 90121, so without this the pool hands
 * the dead connections out again and a recovered legacy database stays unreachable for minutes.
 */
public final class EvictBrokenConnections implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return e instanceof SQLNonTransientConnectionException ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
