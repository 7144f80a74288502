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
    /** Closed without a call: the legacy row is gone, or the import's query no longer reads it. */
    public static final String SKIPPED = "SKIPPED";

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record DeadLetter(long id, String routeId, String itemKey, String timApi, Integer errorCode,
                             String reason, String payload, long createdAt, String status, int attempts,
                             String legacyPage) {
    }

    public void record(String routeId, String itemKey, String timApi, Integer errorCode, String reason, String payload) {
        record(routeId, itemKey, timApi, errorCode, reason, payload, null);
    }

    /**
     * {@code legacyPage}: for an import item, the keyset position its page started after (replay re-reads the row
     * from there); null for the sync's items, and when unknown a later failure keeps the position stored before.
     */
    public void record(String routeId, String itemKey, String timApi, Integer errorCode, String reason, String payload,
                       String legacyPage) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        if (why.length() > 2000) {
            why = why.substring(0, 1997) + "...";
        }
        long now = System.currentTimeMillis();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("update tb_dead_letter set tim_api = ?, error_code = ?,"
                    + " reason = ?, payload = ?, created_at = ?, status = 'OPEN', attempts = attempts + 1,"
                    + " legacy_page = coalesce(?, legacy_page) where route_id = ? and item_key = ?")) {
                bind(up, timApi, errorCode, why, payload, now);
                up.setString(6, legacyPage);
                up.setString(7, routeId);
                up.setString(8, itemKey);
                if (up.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("insert into tb_dead_letter (tim_api, error_code, reason,"
                    + " payload, created_at, legacy_page, route_id, item_key, status, attempts)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', 1)")) {
                bind(in, timApi, errorCode, why, payload, now);
                in.setString(6, legacyPage);
                in.setString(7, routeId);
                in.setString(8, itemKey);
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
        String sql = "select id, route_id, item_key, tim_api, error_code, reason, payload, created_at, status, attempts,"
                + " legacy_page"
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
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("list dead letters", e);
        }
    }

    /** Which dead letters a listing shows: each null field matches all. */
    public record Filter(String status, String routeId, Integer errorCode, String reasonContains) {
    }

    /**
     * Every dead letter the filter matches, oldest first, streamed to {@code each} (a listing or an export of any
     * size holds one row at a time); returns how many matched.
     */
    public long scan(Filter filter, java.util.function.Consumer<DeadLetter> each) {
        StringBuilder sql = new StringBuilder("select id, route_id, item_key, tim_api, error_code, reason, payload,"
                + " created_at, status, attempts, legacy_page from tb_dead_letter where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.status() != null) {
            sql.append(" and status = ?");
            params.add(filter.status());
        }
        if (filter.routeId() != null) {
            sql.append(" and route_id = ?");
            params.add(filter.routeId());
        }
        if (filter.errorCode() != null) {
            sql.append(" and error_code = ?");
            params.add(filter.errorCode());
        }
        if (filter.reasonContains() != null) {
            sql.append(" and lower(reason) like ?");
            params.add("%" + filter.reasonContains().toLowerCase(java.util.Locale.ROOT) + "%");
        }
        sql.append(" order by id");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            ps.setFetchSize(500);
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(read(rs));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new StateException("list dead letters", e);
        }
    }

    /** One dead letter by its id, whatever its status. */
    public java.util.Optional<DeadLetter> byId(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, route_id, item_key, tim_api, error_code, reason, payload, created_at, status, attempts,"
                        + " legacy_page from tb_dead_letter where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(read(rs)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("read dead letter " + id, e);
        }
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        int code = rs.getInt(5);
        Integer errorCode = rs.wasNull() ? null : code;
        return new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), errorCode,
                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getInt(10), rs.getString(11));
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

    /** Item keys of the route's open dead letters. */
    public java.util.Set<String> openKeys(String routeId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select item_key from tb_dead_letter where route_id = ? and status = 'OPEN'")) {
            ps.setString(1, routeId);
            java.util.Set<String> keys = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new StateException("list open dead letters of " + routeId, e);
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

    /**
     * Items applied in TIM by a later run (an import after a fix, or {@code --restart}): their dead letters close.
     * One statement per call's items, so a run with open dead letters pays one update per TIM call.
     */
    public void resolveAll(String routeId, List<String> itemKeys) {
        if (itemKeys.isEmpty()) {
            return;
        }
        String marks = String.join(",", java.util.Collections.nCopies(itemKeys.size(), "?"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update tb_dead_letter set status = 'RESOLVED'"
                     + " where status <> 'RESOLVED' and route_id = ? and item_key in (" + marks + ")")) {
            ps.setString(1, routeId);
            for (int i = 0; i < itemKeys.size(); i++) {
                ps.setString(i + 2, itemKeys.get(i));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("resolve dead letters of " + routeId, e);
        }
    }

    /** Closes the item without a call, saying why (e.g. its legacy row is gone). */
    public void skip(String routeId, String itemKey, String reason) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update tb_dead_letter set status = 'SKIPPED', reason = ?"
                     + " where route_id = ? and item_key = ?")) {
            ps.setString(1, reason.length() > 2000 ? reason.substring(0, 1997) + "..." : reason);
            ps.setString(2, routeId);
            ps.setString(3, itemKey);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("skip dead letter " + routeId + "/" + itemKey, e);
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
