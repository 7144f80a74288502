package io.timbridge.state;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legacy id to TIM identity, for every message and group the bridge moved in either direction.
 * It lets a callback recognise a message the bridge itself put into TIM, and a poller recognise a
 * row the bridge itself wrote into the legacy database.
 */
public class IdMap {
    public static final char TO_TIM = 'T';
    public static final char TO_LEGACY = 'L';
    /** Kind of a group message: legacy id to {@code GroupId:MsgSeq}. */
    public static final String GROUP_MSG = "group_msg";
    /** Kind of a one-to-one message: legacy id to its MsgKey. */
    public static final String C2C_MSG = "c2c_msg";
    /**
     * Kind of a group the bridge created on the other side (TO_TIM: create_group from a legacy row; TO_LEGACY: the
     * im_groups row of a group created in TIM): GroupId to GroupId. Verify allows the bridge's delay in its CreateTime.
     */
    public static final String GROUP = "group";
    /**
     * Kind of a member the bridge put into TIM (create_group's MemberList, add_group_member): {@code GroupId:UserID}
     * to itself. Verify allows the bridge's delay in its JoinTime.
     */
    public static final String GROUP_MEMBER = "group_member";

    /** Legacy ids per query of {@link #entries}. */
    static final int LOOKUP_BATCH = 500;

    private final DataSource dataSource;

    public IdMap(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the pair; returns false when either side was already mapped (a replay). */
    public boolean put(String kind, String legacyId, String timKey, char direction) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into tb_id_map (kind, legacy_id, tim_key, direction,"
                     + " created_at) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, kind);
            ps.setString(2, legacyId);
            ps.setString(3, timKey);
            ps.setString(4, String.valueOf(direction));
            ps.setLong(5, System.currentTimeMillis());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw new StateException("map " + kind + " " + legacyId + " to " + timKey, e);
        }
    }

    public Optional<String> timKey(String kind, String legacyId) {
        return lookup("select tim_key from tb_id_map where kind = ? and legacy_id = ?", kind, legacyId);
    }

    /** One id-map entry: the TIM identity and the direction the message moved in. */
    public record Entry(String timKey, char direction) {
    }

    /**
     * The entries of {@code legacyIds} (e.g. one page of legacy rows), by legacy id; ids the map does not know
     * are absent. Reads at most {@value #LOOKUP_BATCH} ids per query.
     */
    public Map<String, Entry> entries(String kind, Collection<String> legacyIds) {
        Map<String, Entry> out = new HashMap<>();
        List<String> ids = new ArrayList<>(legacyIds);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < ids.size(); from += LOOKUP_BATCH) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_BATCH));
                String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("select legacy_id, tim_key, direction from tb_id_map"
                        + " where kind = ? and legacy_id in (" + marks + ")")) {
                    ps.setString(1, kind);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), new Entry(rs.getString(2), rs.getString(3).charAt(0)));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("look up " + ids.size() + " " + kind + " ids in the id map", e);
        }
    }

    public Optional<String> legacyId(String kind, String timKey) {
        return lookup("select legacy_id from tb_id_map where kind = ? and tim_key = ?", kind, timKey);
    }

    private Optional<String> lookup(String sql, String kind, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, kind);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("look up " + kind + " " + key + " in the id map", e);
        }
    }

    /** SQLState class 23 is an integrity constraint violation on all three databases. */
    static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
