package io.timbridge.synctotim;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An app 1.0 backend writing into the legacy database as the app does: plain SQL, autocommit, bridge_origin
 * left NULL (or set, to play the bridge's own writes). Message times increase with every write.
 */
final class LegacyApp {
    private final DataSource dataSource;
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis() - 3_600_000L);

    LegacyApp(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long now() {
        return clock.addAndGet(3);
    }

    void user(String id) throws SQLException {
        update("INSERT INTO users (user_id, nickname, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?)",
                id, "nick " + id, now(), now());
    }

    void group(String groupId, String owner, String name) throws SQLException {
        long t = now();
        update("INSERT INTO im_groups (group_id, owner_id, group_type, name, created_at_ms, updated_at_ms)"
                + " VALUES (?, ?, 'work', ?, ?, ?)", groupId, owner, name, t, t);
        member(groupId, owner);
    }

    void member(String groupId, String user) throws SQLException {
        update("INSERT INTO group_members (group_id, user_id, role, joined_at_ms) VALUES (?, ?, 'member', ?)",
                groupId, user, now());
    }

    void leave(String groupId, String user) throws SQLException {
        update("DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, user);
    }

    void rename(String groupId, String name, String introduction) throws SQLException {
        update("UPDATE im_groups SET name = ?, introduction = ?, updated_at_ms = ? WHERE group_id = ?",
                name, introduction, now(), groupId);
    }

    void dismiss(String groupId) throws SQLException {
        long t = now();
        update("UPDATE im_groups SET dismissed_at_ms = ?, updated_at_ms = ? WHERE group_id = ?", t, t, groupId);
    }

    void c2c(String from, String to, String text) throws SQLException {
        c2c(from, to, text, null);
    }

    void c2c(String from, String to, String text, String bridgeOrigin) throws SQLException {
        update("INSERT INTO c2c_messages (sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin)"
                + " VALUES (?, ?, 'text', ?, ?, ?)", from, to, text, now(), bridgeOrigin);
    }

    void groupMessage(String groupId, String from, String text) throws SQLException {
        groupMessage(groupId, from, text, null);
    }

    void groupMessage(String groupId, String from, String text, String bridgeOrigin) throws SQLException {
        update("INSERT INTO group_messages (group_id, sender_id, msg_type, content, created_at_ms, bridge_origin)"
                + " VALUES (?, ?, 'text', ?, ?, ?)", groupId, from, text, now(), bridgeOrigin);
    }

    /** Ids of the app's (bridge_origin NULL) rows of a query with one parameter, in id order. */
    List<Long> ids(String sql, Object... params) throws SQLException {
        return column(sql, rs -> rs.getLong(1), params);
    }

    List<String> texts(String sql, Object... params) throws SQLException {
        return column(sql, rs -> rs.getString(1), params);
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> column(String sql, Column<T> column, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<T> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(column.read(rs));
                }
            }
            return values;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private void update(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
