package io.timbridge.state;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items that could not be applied: stored with the route, the item's key, TIM's API and error code,
 * the reason and the payload, so nothing is dropped silently and each one can be replayed after a fix.
 * One row per (route, item): a second failure of the same item updates it instead of adding another.
 */
public class DeadLetters {
    public static final String OPEN = "OPEN";
    public static final String RESOLVED = "RESOLVED";

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record DeadLetter(long id, String routeId, String itemKey, String timApi, Integer errorCode,
                             String reason, String payload, long createdAt, String status, int attempts) {
    }

    public void record(String routeId, String itemKey, String timApi, Integer errorCode, String reason, String payload) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        if (why.length() > 2000) {
            why = why.substring(0, 1997) + "...";
        }
        long now = System.currentTimeMillis();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("update tb_dead_letter set tim_api = ?, error_code = ?,"
                    + " reason = ?, payload = ?, created_at = ?, status = 'OPEN', attempts = attempts + 1"
                    + " where route_id = ? and item_key = ?")) {
                bind(up, timApi, errorCode, why, payload, now);
                up.setString(6, routeId);
                up.setString(7, itemKey);
                if (up.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("insert into tb_dead_letter (tim_api, error_code, reason,"
                    + " payload, created_at, route_id, item_key, status, attempts) values (?, ?, ?, ?, ?, ?, ?, 'OPEN', 1)")) {
                bind(in, timApi, errorCode, why, payload, now);
                in.setString(6, routeId);
                in.setString(7, itemKey);
                in.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StateException("store dead letter " + routeId + "/" + itemKey + " (" + why + ")", e);
        }
    }

    private static void bind(PreparedStatement ps, String timApi, Integer errorCode, String reason, String payload,
                             long now) throws SQLException {
        ps.setString(1, timApi);
        if (errorCode == null) {
            ps.setNull(2, Types.INTEGER);
        } else {
            ps.setInt(2, errorCode);
        }
        ps.setString(3, reason);
        ps.setString(4, payload);
        ps.setLong(5, now);
    }

    /** Dead letters with {@code status}, oldest first, at most {@code limit}; {@code routeId} null for all routes. */
    public List<DeadLetter> list(String status, String routeId, int limit) {
        String sql = "select id, route_id, item_key, tim_api, error_code, reason, payload, created_at, status, attempts"
                + " from tb_dead_letter where status = ?" + (routeId == null ? "" : " and route_id = ?") + " order by id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status);
            if (routeId != null) {
                ps.setString(2, routeId);
            }
            ps.setMaxRows(limit);
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(5);
                    Integer errorCode = rs.wasNull() ? null : code;
                    out.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), errorCode,
                            rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getInt(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("list dead letters", e);
        }
    }

    /** Whether the item of the route is an open dead letter. */
    public boolean isOpen(String routeId, String itemKey) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select 1 from tb_dead_letter where route_id = ? and item_key = ? and status = 'OPEN'")) {
            ps.setString(1, routeId);
            ps.setString(2, itemKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StateException("look up dead letter " + routeId + "/" + itemKey, e);
        }
    }

    /** Open dead letters per route. */
    public Map<String, Long> openCounts() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select route_id, count(*) from tb_dead_letter"
                     + " where status = 'OPEN' group by route_id order by route_id");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Long> out = new LinkedHashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("count dead letters", e);
        }
    }

    /** The item went through on a replay. */
    public void resolve(String routeId, String itemKey) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update tb_dead_letter set status = 'RESOLVED' where route_id = ? and item_key = ?")) {
            ps.setString(1, routeId);
            ps.setString(2, itemKey);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("resolve dead letter " + routeId + "/" + itemKey, e);
        }
    }
}
