package io.timbridge.state;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Import progress per route and scope: the last legacy key whose TIM call succeeded. A route
 * resumes after it, so a restart re-sends at most the items in flight when the process died.
 */
public class Checkpoints {
    /** Scope of a route that walks one table from start to end. */
    public static final String WHOLE = "";

    private final DataSource dataSource;

    public Checkpoints(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Checkpoint(String routeId, String scope, String position, long doneCount, boolean finished) {
    }

    public Optional<Checkpoint> find(String routeId, String scope) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select position, done_count, finished from tb_checkpoint where route_id = ? and scope_key = ?")) {
            ps.setString(1, routeId);
            ps.setString(2, scope);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Checkpoint(routeId, scope, rs.getString(1), rs.getLong(2), rs.getInt(3) == 1));
            }
        } catch (SQLException e) {
            throw new StateException("read checkpoint of " + routeId + "/" + scope, e);
        }
    }

    /** The position to resume after, or {@code initial} when the route has not started yet. */
    public String position(String routeId, String scope, String initial) {
        return find(routeId, scope).map(Checkpoint::position).orElse(initial);
    }

    public boolean isFinished(String routeId, String scope) {
        return find(routeId, scope).map(Checkpoint::finished).orElse(false);
    }

    /** Records that everything up to {@code position} is done, adding {@code doneDelta} to the count. */
    public void advance(String routeId, String scope, String position, long doneDelta) {
        write(routeId, scope, position, doneDelta, false);
    }

    public void finish(String routeId, String scope, String position) {
        write(routeId, scope, position, 0, true);
    }

    public long doneCount(String routeId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select coalesce(sum(done_count), 0) from tb_checkpoint where route_id = ?")) {
            ps.setString(1, routeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateException("read progress of " + routeId, e);
        }
    }

    /** Forgets a route's progress so the next run starts from the beginning (TIM's dedup keeps it harmless). */
    public void reset(String routeId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from tb_checkpoint where route_id = ?")) {
            ps.setString(1, routeId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("reset checkpoint of " + routeId, e);
        }
    }

    private void write(String routeId, String scope, String position, long doneDelta, boolean finished) {
        long now = System.currentTimeMillis();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("update tb_checkpoint set position = ?,"
                    + " done_count = done_count + ?, finished = ?, updated_at = ? where route_id = ? and scope_key = ?")) {
                up.setString(1, position);
                up.setLong(2, doneDelta);
                up.setInt(3, finished ? 1 : 0);
                up.setLong(4, now);
                up.setString(5, routeId);
                up.setString(6, scope);
                if (up.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("insert into tb_checkpoint"
                    + " (route_id, scope_key, position, done_count, finished, updated_at) values (?, ?, ?, ?, ?, ?)")) {
                in.setString(1, routeId);
                in.setString(2, scope);
                in.setString(3, position);
                in.setLong(4, doneDelta);
                in.setInt(5, finished ? 1 : 0);
                in.setLong(6, now);
                in.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StateException("save checkpoint of " + routeId + "/" + scope + " at " + position, e);
        }
    }
}
