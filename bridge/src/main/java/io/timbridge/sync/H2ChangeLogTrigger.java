package io.timbridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.h2.api.Trigger;

/**
 * The change-log trigger for H2 ({@code db/legacy/h2/changelog.sql}); MySQL and PostgreSQL do the same
 * in SQL. It records the app's changes to {@code im_groups} (insert; update of name, introduction,
 * notification, avatar_url or dismissed_at_ms) and to {@code group_members} (insert, delete) in
 * {@code bridge_changelog}, and skips the bridge's own writes, recognised by {@code bridge_origin}
 * as {@link SyncSql} describes: an insert with it set, an update that changes it to non-NULL, a
 * delete of a row marked {@link LegacyWrites#DELETE_MARK}.
 *
 * <p>H2 runs it inside the writing statement, so a rolled-back write leaves no change-log row. The
 * class must be on the classpath of the process that opens the database: the bridge's own for an
 * embedded H2, the H2 server's otherwise.
 */
public final class H2ChangeLogTrigger implements Trigger {

    private static final String GROUPS = "im_groups";
    private static final String MEMBERS = "group_members";
    private static final List<String> GROUP_FIELDS =
            List.of("name", "introduction", "notification", "avatar_url", "dismissed_at_ms");

    private String table;
    private String insertSql;
    private final Map<String, Integer> columns = new HashMap<>();

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
            int type) throws SQLException {
        table = tableName.toLowerCase(Locale.ROOT);
        if (!table.equals(GROUPS) && !table.equals(MEMBERS)) {
            throw new SQLException("H2ChangeLogTrigger serves im_groups and group_members, not " + tableName);
        }
        try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("ORDINAL_POSITION") - 1);
            }
        }
        List<String> needed = new ArrayList<>(List.of("group_id", "bridge_origin"));
        needed.addAll(table.equals(GROUPS) ? GROUP_FIELDS : List.of("user_id"));
        needed.removeAll(columns.keySet());
        if (!needed.isEmpty()) {
            throw new SQLException(tableName + " lacks the columns " + needed + " the change log records");
        }
        insertSql = "INSERT INTO \"" + schemaName.replace("\"", "\"\"") + "\".bridge_changelog"
                + " (table_name, op, group_id, user_id, changed_fields, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)";
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (oldRow == null) {
            if (value(newRow, "bridge_origin") == null) {
                log(conn, "I", newRow, null);
            }
        } else if (newRow == null) {
            if (!LegacyWrites.DELETE_MARK.equals(value(oldRow, "bridge_origin"))) {
                log(conn, "D", oldRow, null);
            }
        } else if (table.equals(GROUPS) && !bridgeUpdate(oldRow, newRow)) {
            List<String> changed = new ArrayList<>();
            for (String field : GROUP_FIELDS) {
                if (!Objects.equals(value(oldRow, field), value(newRow, field))) {
                    changed.add(field);
                }
            }
            if (!changed.isEmpty()) {
                log(conn, "U", newRow, String.join(",", changed));
            }
        }
    }

    /** The bridge changes bridge_origin to non-NULL on every update it makes; the app never touches it. */
    private boolean bridgeUpdate(Object[] oldRow, Object[] newRow) {
        Object origin = value(newRow, "bridge_origin");
        return origin != null && !origin.equals(value(oldRow, "bridge_origin"));
    }

    private void log(Connection conn, String op, Object[] row, String changedFields) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(insertSql)) {
            ps.setString(1, table);
            ps.setString(2, op);
            ps.setObject(3, value(row, "group_id"));
            ps.setObject(4, table.equals(MEMBERS) ? value(row, "user_id") : null);
            ps.setString(5, changedFields);
            ps.setLong(6, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    private Object value(Object[] row, String column) {
        return row[columns.get(column)];
    }
}
