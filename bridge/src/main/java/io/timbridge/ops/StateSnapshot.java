package io.timbridge.ops;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the bridge state database says about the work: the callback inbox (depth, oldest undrained and latest
 * callback), open dead letters per route, and the checkpoints per route. Read by the metrics (every few seconds)
 * and by {@code status} when no bridge answers. Every query uses an index or a small table.
 */
public record StateSnapshot(long inboxDepth, OptionalLong oldestUndrainedAt, OptionalLong lastCallbackAt,
                            Map<String, Long> openDeadLetters, Map<String, LatestDeadLetter> latestDeadLetters) {

    /** The newest open dead letter of a route: what an operator reads as the route's last error. */
    public record LatestDeadLetter(Integer errorCode, String reason, long createdAt) {
    }

    public StateSnapshot(long inboxDepth, OptionalLong oldestUndrainedAt, OptionalLong lastCallbackAt,
                         Map<String, Long> openDeadLetters) {
        this(inboxDepth, oldestUndrainedAt, lastCallbackAt, openDeadLetters, Map.of());
    }

    /** A route's checkpoints summed over its scopes: rows done, whether every scope finished, last update. */
    public record RouteCheckpoint(String routeId, long done, boolean finished, long updatedAt) {
    }

    public static StateSnapshot read(DataSource state, int timeoutSeconds) throws SQLException {
        try (Connection c = state.getConnection()) {
            long depth = single(c, timeoutSeconds, "select count(*) from tb_callback_inbox where status = 'NEW'");
            OptionalLong oldest = optional(c, timeoutSeconds, "select received_at from tb_callback_inbox where id ="
                    + " (select min(id) from tb_callback_inbox where status = 'NEW')");
            OptionalLong last = optional(c, timeoutSeconds, "select received_at from tb_callback_inbox where id ="
                    + " (select max(id) from tb_callback_inbox)");
            Map<String, Long> dead = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select route_id, count(*) from tb_dead_letter"
                    + " where status = 'OPEN' group by route_id order by route_id")) {
                ps.setQueryTimeout(timeoutSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dead.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            Map<String, LatestDeadLetter> latest = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select d.route_id, d.error_code, d.reason, d.created_at"
                    + " from tb_dead_letter d join (select route_id, max(id) as id from tb_dead_letter"
                    + " where status = 'OPEN' group by route_id) m on d.id = m.id")) {
                ps.setQueryTimeout(timeoutSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int code = rs.getInt(2);
                        latest.put(rs.getString(1), new LatestDeadLetter(rs.wasNull() ? null : code, rs.getString(3),
                                rs.getLong(4)));
                    }
                }
            }
            return new StateSnapshot(depth, oldest, last, dead, latest);
        }
    }

    public static List<RouteCheckpoint> checkpoints(DataSource state, int timeoutSeconds) throws SQLException {
        try (Connection c = state.getConnection();
             PreparedStatement ps = c.prepareStatement("select route_id, sum(done_count), min(finished),"
                     + " max(updated_at) from tb_checkpoint group by route_id order by route_id")) {
            ps.setQueryTimeout(timeoutSeconds);
            List<RouteCheckpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RouteCheckpoint(rs.getString(1), rs.getLong(2), rs.getInt(3) == 1, rs.getLong(4)));
                }
            }
            return out;
        }
    }

    private static long single(Connection c, int timeoutSeconds, String sql) throws SQLException {
        return optional(c, timeoutSeconds, sql).orElse(0);
    }

    private static OptionalLong optional(Connection c, int timeoutSeconds, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return OptionalLong.empty();
                }
                long value = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
            }
        }
    }
}
