package io.timbridge.sync;

import io.timbridge.convert.ConversionException;
import io.timbridge.convert.MessageConverter;
import io.timbridge.legacy.LegacySchema;
import io.timbridge.sync.LegacyWrites.Write;
import io.timbridge.testsupport.TestDatabases;
import io.timbridge.testsupport.TestDatabases.Kind;
import io.timbridge.testsupport.TestDatabases.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.timbridge.sync.CallbackParserTest.C2C;
import static io.timbridge.sync.CallbackParserTest.CREATED;
import static io.timbridge.sync.CallbackParserTest.DESTROYED;
import static io.timbridge.sync.CallbackParserTest.EXITED;
import static io.timbridge.sync.CallbackParserTest.GROUP_MSG;
import static io.timbridge.sync.CallbackParserTest.INFO_CHANGED;
import static io.timbridge.sync.CallbackParserTest.JOINED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The default SQL of every callback, run on each database with the reference schema and the change
 * log installed: rows land as the schema describes, replays add nothing, and nothing the bridge
 * writes reaches the change log.
 */
class LegacyWritesTest {
    private static final String GROUP = "@TGS#2AB3CDEFG";

    private final CallbackParser parser = new CallbackParser(new EchoGuard("tb_admin", true), 1 << 20);
    private final LegacyWrites writes = new LegacyWrites(new MessageConverter());
    private TestDatabase database;
    private Connection connection;

    private void open(Kind kind) throws Exception {
        database = TestDatabases.create(kind);
        connection = database.connection();
        LegacySchema.apply(connection);
        ChangeLogSchema.apply(connection);
    }

    @AfterEach
    void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private CallbackEvent event(String body) {
        return CallbackParserTest.accepted(parser.parse(null, "Android", body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs every write of the callback with its default SQL; returns the rows changed. */
    private int apply(String body) throws Exception {
        int changed = 0;
        for (Write w : writes.of(event(body))) {
            changed += NamedSql.update(connection, w.statement().sql(), w.params());
        }
        return changed;
    }

    private List<Map<String, Object>> rows(String sql) throws Exception {
        return NamedSql.query(connection, sql, Map.of());
    }

    private List<Map<String, Object>> changeLog() throws Exception {
        return rows("SELECT table_name, op, group_id, user_id, changed_fields FROM bridge_changelog ORDER BY id");
    }

    private List<Map<String, Object>> members() throws Exception {
        return rows("SELECT user_id, role, joined_at_ms, bridge_origin FROM group_members ORDER BY user_id");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aC2cMessageBecomesOneRowMarkedAsWrittenByTheBridge(Kind kind) throws Exception {
        open(kind);
        assertThat(apply(C2C)).isEqualTo(1);

        assertThat(rows("SELECT sender_id, receiver_id, msg_type, content, created_at_ms, bridge_origin FROM c2c_messages"))
                .containsExactly(Map.of("sender_id", "alice", "receiver_id", "bob", "msg_type", "text",
                        "content", "hello from app 2.0", "created_at_ms", 1700000300000L,
                        "bridge_origin", LegacyWrites.mark(event(C2C))));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aGroupMessageBecomesOneRowMarkedAsWrittenByTheBridge(Kind kind) throws Exception {
        open(kind);
        assertThat(apply(GROUP_MSG)).isEqualTo(1);

        assertThat(rows("SELECT group_id, sender_id, msg_type, content, created_at_ms, bridge_origin FROM group_messages"))
                .containsExactly(Map.of("group_id", GROUP, "sender_id", "alice", "msg_type", "text",
                        "content", "hi all", "created_at_ms", 1700000900000L,
                        "bridge_origin", LegacyWrites.mark(event(GROUP_MSG))));
    }

    /**
     * A crash between the legacy insert and the id map leaves the callback to be applied again: the message
     * routes look for the row by the message's mark first and find it, while a different message of the same
     * second in the same conversation is not mistaken for it.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMessageWrittenBeforeACrashIsFoundByItsMarkAndNotWrittenAgain(Kind kind) throws Exception {
        open(kind);
        String sameSecond = C2C.replace("\"MsgKey\":\"", "\"MsgKey\":\"other-");
        assertThat(sameSecond).isNotEqualTo(C2C);
        assertThat(applyUnlessWritten(C2C, SyncSql.C2C_MESSAGE_WRITTEN)).isEqualTo(1);
        assertThat(applyUnlessWritten(C2C, SyncSql.C2C_MESSAGE_WRITTEN)).isZero();
        assertThat(applyUnlessWritten(sameSecond, SyncSql.C2C_MESSAGE_WRITTEN)).isEqualTo(1);
        assertThat(applyUnlessWritten(GROUP_MSG, SyncSql.GROUP_MESSAGE_WRITTEN)).isEqualTo(1);
        assertThat(applyUnlessWritten(GROUP_MSG, SyncSql.GROUP_MESSAGE_WRITTEN)).isZero();

        assertThat(rows("SELECT COUNT(*) AS n FROM c2c_messages")).containsExactly(Map.of("n", 2L));
        assertThat(rows("SELECT COUNT(*) AS n FROM group_messages")).containsExactly(Map.of("n", 1L));
    }

    /** As the message routes do: the insert runs only when the lookup finds no row written already. */
    private int applyUnlessWritten(String body, SyncSql lookup) throws Exception {
        Write write = writes.of(event(body)).get(0);
        if (!NamedSql.query(connection, lookup.sql(), write.params()).isEmpty()) {
            return 0;
        }
        return NamedSql.update(connection, write.statement().sql(), write.params());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void messageTextThatLooksLikeSqlIsStoredVerbatim(Kind kind) throws Exception {
        open(kind);
        String text = "x'); DELETE FROM c2c_messages; -- :#content ? \\' 你好 👋";
        String json = text.replace("\\", "\\\\").replace("\"", "\\\"");
        apply(C2C.replace("hello from app 2.0", json));
        apply(C2C.replace("hello from app 2.0", "second").replace("\"MsgKey\":\"", "\"MsgKey\":\"2-"));

        assertThat(rows("SELECT content FROM c2c_messages ORDER BY id"))
                .containsExactly(Map.of("content", text), Map.of("content", "second"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCreatedGroupBecomesAGroupRowWithItsOwnerAndMembers(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);

        assertThat(rows("SELECT group_id, owner_id, group_type, name, created_at_ms, updated_at_ms, dismissed_at_ms,"
                + " bridge_origin FROM im_groups")).hasSize(1).first().satisfies(g -> {
                    assertThat(g).containsEntry("group_id", GROUP).containsEntry("owner_id", "alice")
                            .containsEntry("group_type", "public").containsEntry("name", "Team")
                            .containsEntry("created_at_ms", 1700000400123L).containsEntry("updated_at_ms", 1700000400123L)
                            .containsEntry("bridge_origin", "tim");
                    assertThat(g.get("dismissed_at_ms")).isNull();
                });
        assertThat(members()).containsExactly(
                Map.of("user_id", "alice", "role", "owner", "joined_at_ms", 1700000400123L, "bridge_origin", "tim"),
                Map.of("user_id", "bob", "role", "member", "joined_at_ms", 1700000400123L, "bridge_origin", "tim"));
    }

    /** The create callback carries the fields set at creation (tencentcloud.com/document/product/1047/34369). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCreatedGroupKeepsItsIntroductionNotificationAndFaceUrl(Kind kind) throws Exception {
        open(kind);
        apply(CREATED.replace("\"Name\":\"Team\",", "\"Name\":\"Team\",\"Introduction\":\"关于我们\","
                + "\"Notification\":\"Be kind\",\"FaceUrl\":\"https://img.example.com/g.png\","));

        assertThat(rows("SELECT introduction, notification, avatar_url FROM im_groups")).containsExactly(Map.of(
                "introduction", "关于我们", "notification", "Be kind", "avatar_url", "https://img.example.com/g.png"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void replayedGroupAndMemberCallbacksAddNothing(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);
        apply(JOINED);

        assertThat(apply(CREATED)).isZero();
        assertThat(apply(JOINED)).isZero();
        assertThat(rows("SELECT group_id FROM im_groups")).hasSize(1);
        assertThat(members()).extracting(m -> m.get("user_id")).containsExactly("alice", "bob", "carol");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anInfoChangeWritesOnlyTheReportedFields(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);
        NamedSql.update(connection, "UPDATE im_groups SET introduction = 'about us', avatar_url = 'https://x/a.png'",
                Map.of());

        apply(INFO_CHANGED);

        assertThat(rows("SELECT name, introduction, notification, avatar_url, updated_at_ms FROM im_groups"))
                .containsExactly(Map.of("name", "Team", "introduction", "about us", "notification", "New rules",
                        "avatar_url", "https://x/a.png", "updated_at_ms", 1700000600123L));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReportedEmptyFieldClearsTheColumn(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);
        apply(INFO_CHANGED);

        apply(INFO_CHANGED.replace("\"New rules\"", "\"\"").replace("1700000600123", "1700000600999"));

        assertThat(rows("SELECT notification FROM im_groups")).containsExactly(Map.of("notification", ""));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDestroyedGroupIsDismissedOnceAtItsFirstTime(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);

        assertThat(apply(DESTROYED)).isEqualTo(1);
        assertThat(apply(DESTROYED.replace("1700000500123", "1700000599999"))).isZero();

        assertThat(rows("SELECT dismissed_at_ms, updated_at_ms FROM im_groups"))
                .containsExactly(Map.of("dismissed_at_ms", 1700000500123L, "updated_at_ms", 1700000500123L));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aJoinedMemberIsInsertedAndAnExitedMemberDeleted(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);

        apply(JOINED);
        assertThat(members()).extracting(m -> m.get("user_id")).containsExactly("alice", "bob", "carol");
        assertThat(members().get(2)).containsEntry("role", "member").containsEntry("joined_at_ms", 1700000700123L);

        apply(EXITED);
        assertThat(members()).extracting(m -> m.get("user_id")).containsExactly("alice", "bob");
        assertThat(apply(EXITED)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nothingTheBridgeWritesReachesTheChangeLog(Kind kind) throws Exception {
        open(kind);
        for (String body : List.of(CREATED, INFO_CHANGED, JOINED, EXITED, DESTROYED, C2C, GROUP_MSG)) {
            apply(body);
        }
        // A second change of the same row by the bridge must also stay out of the log.
        apply(INFO_CHANGED.replace("New rules", "Newer rules").replace("1700000600123", "1700000600456"));

        assertThat(changeLog()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAppChangeToARowTheBridgeWroteIsLogged(Kind kind) throws Exception {
        open(kind);
        apply(CREATED);
        apply(INFO_CHANGED);

        NamedSql.update(connection, "UPDATE im_groups SET name = 'Renamed in app 1.0' WHERE group_id = :#g",
                Map.of("g", GROUP));
        NamedSql.update(connection, "DELETE FROM group_members WHERE user_id = 'bob'", Map.of());

        assertThat(changeLog()).containsExactly(
                row("im_groups", "U", GROUP, null, "name"),
                row("group_members", "D", GROUP, "bob", null));
    }

    @Test
    void aSkippedEventHasNoWrites() {
        assertThat(writes.of(event(C2C.replace("\"SendMsgResult\":0", "\"SendMsgResult\":1")))).isEmpty();
        assertThat(writes.of(CallbackParserTest.accepted(
                parser.parse(null, "RESTAPI", CREATED.getBytes(StandardCharsets.UTF_8))))).isEmpty();
    }

    @Test
    void aMessageTheLegacySideCannotHoldFailsWithTheConverterReason() {
        String image = C2C.replace("{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello from app 2.0\"}}",
                "{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"a\"}},{\"MsgType\":\"TIMFaceElem\","
                        + "\"MsgContent\":{\"Index\":1,\"Data\":\"x\"}}");
        assertThatThrownBy(() -> writes.of(event(image))).isInstanceOf(ConversionException.class)
                .extracting(e -> ((ConversionException) e).reason()).isEqualTo(ConversionException.Reason.MULTIPLE_ELEMENTS);
    }

    @Test
    void everyBridgeUpdateStampDiffersFromTheOthersAndFromTheInsertAndDeleteMarks() {
        String first = LegacyWrites.mark(event(INFO_CHANGED));
        String second = LegacyWrites.mark(event(INFO_CHANGED.replace("New rules", "Other")));
        assertThat(first).hasSize(16).startsWith("tim:").isNotEqualTo(second)
                .isNotEqualTo(LegacyWrites.INSERT_MARK).isNotEqualTo(LegacyWrites.DELETE_MARK);
        assertThat(LegacyWrites.mark(event(INFO_CHANGED))).isEqualTo(first);
    }

    static Map<String, Object> row(String table, String op, String groupId, String userId, String changed) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("table_name", table);
        row.put("op", op);
        row.put("group_id", groupId);
        row.put("user_id", userId);
        row.put("changed_fields", changed);
        return row;
    }
}
