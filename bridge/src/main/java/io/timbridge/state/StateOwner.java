package io.timbridge.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The migration a state database belongs to: the legacy database and the TIM app (SDKAppID) its checkpoints,
 * id map and dead letters describe. The first run claims it; a run for another legacy database or TIM app is
 * refused, because it would skip rows as "done by an earlier run" and compare against the wrong TIM.
 */
public final class StateOwner {
    private final DataSource state;

    public StateOwner(DataSource state) {
        this.state = state;
    }

    /** The legacy database as the owner records it: scheme, host, port and name, without credentials or options. */
    static String legacyIdentity(String jdbcUrl) {
        String url = jdbcUrl.trim();
        int options = indexOfAny(url, "?;");
        if (options >= 0) {
            url = url.substring(0, options);
        }
        url = url.replaceFirst("//[^/@]*@", "//");
        String lower = url.toLowerCase(Locale.ROOT);
        // The same MySQL server is reached by either scheme.
        return lower.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
    }

    /**
     * Claims the state for {@code legacyUrl} and TIM app {@code sdkAppId}, or checks that it is theirs.
     *
     * @throws IllegalStateException naming both owners and the way out, when it belongs to another migration
     */
    public void claim(String stateUrl, String legacyUrl, long sdkAppId) {
        String legacy = legacyIdentity(legacyUrl);
        String app = String.valueOf(sdkAppId);
        try (Connection c = state.getConnection()) {
            String[] owner = owner(c);
            if (owner == null) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO tb_state_owner (id, legacy_db, tim_app, claimed_at) VALUES (1, ?, ?, ?)")) {
                    insert.setString(1, legacy);
                    insert.setString(2, app);
                    insert.setLong(3, System.currentTimeMillis());
                    insert.executeUpdate();
                    return;
                } catch (SQLException raced) {
                    owner = owner(c);
                    if (owner == null) {
                        throw raced;
                    }
                }
            }
            if (!owner[0].equals(legacy) || !owner[1].equals(app)) {
                throw new IllegalStateException("the state database " + legacyIdentity(stateUrl)
                        + " holds the progress of another migration (legacy " + owner[0] + ", TIM app " + owner[1]
                        + "); this run is for legacy " + legacy + ", TIM app " + app + ". Its checkpoints would skip"
                        + " rows and its id map point at the other app. Give this run a state database of its own"
                        + " (STATE_DB_URL or --state.datasource.url=...), or remove that one to start afresh.");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the owner of the state database " + legacyIdentity(stateUrl)
                    + ": " + e.getMessage(), e);
        }
    }

    private static String[] owner(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT legacy_db, tim_app FROM tb_state_owner WHERE id = 1");
             ResultSet rs = select.executeQuery()) {
            return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
