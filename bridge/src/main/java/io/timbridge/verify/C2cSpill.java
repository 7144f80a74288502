package io.timbridge.verify;

import io.timbridge.verify.MessageComparator.Msg;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Scratch storage that sorts the expected one-to-one messages by conversation. The import's SQL reads them
 * in id order across all conversations, TIM returns them per conversation: writing them to an H2 file in a
 * temporary directory and reading them back ordered by conversation keeps memory flat (one conversation's
 * messages within the roaming window) however long the history is. The directory is deleted on close.
 */
public final class C2cSpill implements AutoCloseable {

    /** Opens a fresh spill; one per verify run of one-to-one history. */
    @FunctionalInterface
    public interface Factory {
        C2cSpill open();
    }

    private final Path dir;
    private final Connection connection;
    private final PreparedStatement insert;
    private int pending;

    public C2cSpill(Path parent) {
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "verify-c2c-");
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:file:" + dir.resolve("spill").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
            connection = ds.getConnection();
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TABLE expected (conversation VARCHAR(200) NOT NULL, msg_time BIGINT NOT NULL,"
                        + " msg_seq BIGINT NOT NULL, legacy_id BIGINT NOT NULL, sender VARCHAR(200),"
                        + " checksum VARCHAR(32) NOT NULL, msg_key VARCHAR(200), excerpt VARCHAR(400))");
            }
            connection.setAutoCommit(false);
            insert = connection.prepareStatement("INSERT INTO expected VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scratch directory for verify under " + parent, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open verify's scratch database under " + parent, e);
        }
    }

    /**
     * @param msgKey the TIM MsgKey of a message that came from TIM (the id map's), or null for one the bridge put
     *               into TIM (identified by its legacy id)
     */
    public void add(String conversation, long time, long msgSeq, long legacyId, String sender, String checksum,
            String text, String msgKey) {
        try {
            insert.setString(1, conversation);
            insert.setLong(2, time);
            insert.setLong(3, msgSeq);
            insert.setLong(4, legacyId);
            insert.setString(5, sender);
            insert.setString(6, checksum);
            insert.setString(7, msgKey);
            insert.setString(8, text);
            insert.addBatch();
            if (++pending == 1000) {
                flush();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write verify's scratch database", e);
        }
    }

    private void flush() throws SQLException {
        insert.executeBatch();
        connection.commit();
        pending = 0;
    }

    /** Each conversation with its messages in TIM's order (MsgTimeStamp, then MsgSeq). */
    public void forEachConversation(BiConsumer<String, List<Msg>> handler) {
        try {
            flush();
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE INDEX expected_order ON expected (conversation, msg_time, msg_seq)");
            }
            connection.commit();
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT conversation, msg_time, legacy_id, sender, checksum, msg_key, excerpt"
                         + " FROM expected ORDER BY conversation, msg_time, msg_seq")) {
                String current = null;
                List<Msg> messages = new ArrayList<>();
                while (rs.next()) {
                    String conversation = rs.getString(1);
                    if (current != null && !current.equals(conversation)) {
                        handler.accept(current, messages);
                        messages = new ArrayList<>();
                    }
                    current = conversation;
                    long id = rs.getLong(3);
                    String msgKey = rs.getString(6);
                    messages.add(new Msg(msgKey != null ? Verifier.msgKeyIdentity(msgKey) : Verifier.idIdentity(id),
                            conversation + ":" + id, Long.toString(id), rs.getLong(2),
                            rs.getString(4), rs.getString(5), rs.getString(7)));
                }
                if (current != null) {
                    handler.accept(current, messages);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read verify's scratch database", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the files are deleted below either way
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
