package io.timbridge.callback;

import io.timbridge.state.SqlStates;
import io.timbridge.state.StateException;
import io.timbridge.sync.CallbackEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The durable inbox of TIM callbacks in the bridge state database ({@code tb_callback_inbox}). A callback
 * is stored before TIM is answered, keyed by the event's idempotency key, so a replay adds nothing; the
 * drain applies the stored callbacks to the legacy database and records the outcome per row.
 *
 * <p>Thread-safe.
 */
public class CallbackInbox {
    public static final String NEW = "NEW";
    public static final String APPLIED = "APPLIED";
    public static final String SKIPPED = "SKIPPED";
    public static final String DEAD = "DEAD";
    /** Size of the key columns: longer keys are refused at the door rather than truncated. */
    public static final int MAX_KEY_LENGTH = 191;

    /** A stored callback as the drain reads it back. */
    public record Stored(long id, String command, String optPlatform, String payload) {
    }

    private final DataSource dataSource;

    public CallbackInbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A callback to store: the event, the request's OptPlatform and the raw body. */
    public record Entry(CallbackEvent event, String optPlatform, String payload) {
    }

    private static final String INSERT = "insert into tb_callback_inbox (idempotency_key, command, ordering_key,"
            + " opt_platform, payload, event_order, event_seq, received_at, status, skip_reason, done_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Stores an accepted callback with its raw body; an event that writes nothing (echo, failed send,
     * online-only) is stored as {@link #SKIPPED} with the reason, so the operator sees it too.
     *
     * @return false when a callback with the same idempotency key is stored already (a replay)
     */
    public boolean store(CallbackEvent event, String optPlatform, String payload) {
        Entry entry = new Entry(event, optPlatform, payload);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, entry, System.currentTimeMillis());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                return false;
            }
            throw new StateException("store callback " + event.idempotencyKey(), e);
        }
    }

    /**
     * Stores callbacks in one transaction (one round trip and one commit for all), as {@link #store} would one
     * by one. When one of them is stored already (a replay), the transaction is rolled back and each is stored
     * on its own, to tell which.
     *
     * @return per entry, false when it was stored already
     */
    public boolean[] storeAll(List<Entry> entries) {
        boolean[] stored = new boolean[entries.size()];
        if (entries.size() > 1) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    long now = System.currentTimeMillis();
                    for (Entry entry : entries) {
                        bind(ps, entry, now);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    Arrays.fill(stored, true);
                    return stored;
                } catch (SQLException e) {
                    c.rollback();
                    if (!isDuplicate(e)) {
                        throw e;
                    }
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StateException("store " + entries.size() + " callbacks, the first "
                        + entries.get(0).event().idempotencyKey(), e);
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            stored[i] = store(entry.event(), entry.optPlatform(), entry.payload());
        }
        return stored;
    }

    private static void bind(PreparedStatement ps, Entry entry, long now) throws SQLException {
        CallbackEvent event = entry.event();
        String status = event.shouldWrite() ? NEW : SKIPPED;
        ps.setString(1, event.idempotencyKey());
        ps.setString(2, event.command().timName());
        ps.setString(3, event.orderingKey());
        ps.setString(4, entry.optPlatform());
        ps.setString(5, entry.payload());
        ps.setLong(6, eventOrder(event));
        ps.setLong(7, eventSeq(event));
        ps.setLong(8, now);
        ps.setString(9, status);
        ps.setString(10, event.skip().map(s -> s.name().toLowerCase(Locale.ROOT).replace('_', '-')).orElse(null));
        if (status.equals(NEW)) {
            ps.setNull(11, Types.BIGINT);
        } else {
            ps.setLong(11, now);
        }
    }

    /** An integrity violation: the idempotency key is stored already. */
    private static boolean isDuplicate(SQLException e) {
        return SqlStates.inClass(e, SqlStates.INTEGRITY);
    }

    /**
     * When the event happened, in milliseconds: {@code MsgTime} × 1000 for messages (whose MsgSeq then orders
     * one second's messages, the same for a callback and for a message the gap sweep found), {@code EventTime}
     * for group events.
     */
    static long eventOrder(CallbackEvent event) {
        if (event instanceof CallbackEvent.C2cMessage m) {
            return m.msgTime() * 1000;
        }
        if (event instanceof CallbackEvent.GroupMessage m) {
            return m.msgTime() * 1000;
        }
        return ((CallbackEvent.GroupEvent) event).eventTime();
    }

    /** The message's MsgSeq (orders messages of one second), 0 for group events. */
    static long eventSeq(CallbackEvent event) {
        if (event instanceof CallbackEvent.C2cMessage m) {
            return m.msgSeq();
        }
        return event instanceof CallbackEvent.GroupMessage m ? m.msgSeq() : 0;
    }

    /** The stored callback with this id. */
    public Optional<Stored> find(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select command, opt_platform, payload from tb_callback_inbox where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(id, rs.getString(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("read callback " + id, e);
        }
    }

    /** Records the outcome of a {@link #NEW} row: {@link #APPLIED} or {@link #DEAD}. */
    public void finish(long id, String status) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update tb_callback_inbox set status = ?, done_at = ? where id = ? and status = 'NEW'")) {
            ps.setString(1, status);
            ps.setLong(2, System.currentTimeMillis());
            ps.setLong(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("mark callback " + id + " " + status, e);
        }
    }

    /**
     * Forgets callbacks applied or skipped more than {@code retentionMillis} ago; NEW rows wait for the drain and
     * DEAD rows for the operator. A callback TIM delivers again after that is stored anew, and the message routes
     * still find its legacy row by its mark, so the retention only has to outlast the gap sweep's look-back.
     *
     * @return the rows deleted
     */
    public int purgeDone(long retentionMillis) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from tb_callback_inbox"
                     + " where status in ('APPLIED', 'SKIPPED') and done_at < ?")) {
            ps.setLong(1, System.currentTimeMillis() - retentionMillis);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("purge applied callbacks", e);
        }
    }

    /** Rows with {@code status}, for the operator and the tests. */
    public long count(String status) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from tb_callback_inbox where status = ?")) {
            ps.setString(1, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateException("count callbacks " + status, e);
        }
    }
}
